/**
 * Pure parsers for what the SSM agent sends to CloudWatch Logs (see ssm-formats.md §2): the
 * streaming JSON events, the plain-text end-of-session upload, and the exports people save with
 * `aws logs get-log-events` / `filter-log-events`. No I/O; every loop is bounded by its input.
 */
import { BadInputError } from '../../errors.ts';

export type CloudWatchMessage =
  | {
      kind: 'stream';
      sessionId?: string;
      target?: string;
      userArn?: string;
      runAsUser?: string;
      eventTime?: number;
      region?: string;
      lines: string[];
    }
  | { kind: 'text'; text: string }
  | { kind: 'invalid'; reason: string };

/** CloudWatch caps an event at 256 KiB; anything much larger did not come from the agent. */
const MAX_MESSAGE_CHARS = 1_048_576;

/**
 * Classifies one CloudWatch event message: the agent's streaming JSON (`kind: 'stream'`), the
 * plain-text end-of-session upload (`kind: 'text'`), or something that starts like an agent event
 * but is broken (`kind: 'invalid'` with a reason code; never the content).
 */
export function parseCloudWatchMessage(message: string): CloudWatchMessage {
  if (message.length > MAX_MESSAGE_CHARS) return { kind: 'invalid', reason: 'message_too_large' };
  const head = message.slice(0, 256).trimStart();
  const looksLikeEvent =
    head.startsWith('{') && (/"eventVersion"\s*:/.test(head) || /"sessionData"\s*:/.test(message));
  if (!looksLikeEvent) return { kind: 'text', text: message };
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { kind: 'invalid', reason: 'malformed_json' };
  }
  if (!isRecord(parsed)) return { kind: 'invalid', reason: 'not_an_object' };
  const data = parsed.sessionData;
  if (data !== undefined && data !== null && !Array.isArray(data))
    return { kind: 'invalid', reason: 'session_data_not_array' };
  const lines: string[] = [];
  for (const item of (data as unknown[] | null | undefined) ?? []) {
    if (typeof item !== 'string') return { kind: 'invalid', reason: 'session_data_not_strings' };
    lines.push(item);
  }
  const eventTime = typeof parsed.eventTime === 'string' ? Date.parse(parsed.eventTime) : Number.NaN;
  return {
    kind: 'stream',
    ...optionalString('sessionId', parsed.sessionId),
    ...optionalString('target', isRecord(parsed.target) ? parsed.target.id : undefined),
    ...optionalString('userArn', isRecord(parsed.userIdentity) ? parsed.userIdentity.arn : undefined),
    ...optionalString('runAsUser', parsed.runAsUser),
    ...optionalString('region', parsed.awsRegion),
    ...(Number.isFinite(eventTime) ? { eventTime } : {}),
    lines,
  };
}

function optionalString<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' && value !== '' ? { [key]: value } : {}) as { [P in K]?: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The agent reads its local file with a 200,000-byte bufio.Reader and `ReadSlice('\n')`: a line
 * longer than the buffer comes out as 200,000-byte slices, and the event that ends with such a
 * slice ends mid-line; the next event's first element continues it. Nothing marks this in the
 * JSON (`strings.Split` then dropping a trailing "" erases whether the message ended with `\n`), so
 * a final element at least this long (UTF-8 bytes, after ANSI stripping shrank it) is taken as cut.
 * Source: amazon-ssm-agent agent/agentlogstocloudwatch/cloudwatchlogspublisher/
 * cloudwatchlogsservice.go (getNextMessage, buildEventInfo; MessageLengthThresholdInBytes = 200*1000).
 */
export const CLOUDWATCH_SPLIT_LINE_BYTES = 100_000;

/** A final element this long (UTF-8 bytes) is a full 200,000-byte slice nothing shrank: surely cut. */
const CLOUDWATCH_SURE_CUT_BYTES = 200_000;

/**
 * How far apart (ms) a cut slice and its continuation can be. The agent reads the whole backlog on
 * one upload tick, so the rest of a cut line arrives in the same tick; a final element between
 * CLOUDWATCH_SPLIT_LINE_BYTES and CLOUDWATCH_SURE_CUT_BYTES followed only a tick later was a whole
 * line (for example the last 100,000 bytes of a 300,000-byte line).
 */
const CLOUDWATCH_CUT_CONTINUATION_MS = 500;

/**
 * The session's lines in order from its streaming events, each with the timestamp (ms) of the event
 * in which the line ended, i.e. when it was entered. Plain-text events (streaming off) are split on
 * newlines; invalid events are skipped (callers that care call parseCloudWatchMessage themselves).
 * @example cloudWatchLines(getLogEventsOutput.events) // [{ text: '$ ls', timestamp: 1764000003000 }]
 */
export function cloudWatchLines(
  events: Iterable<{ timestamp: number; message: string }>,
  options: { splitLineBytes?: number } = {},
): Array<{ text: string; timestamp: number }> {
  const splitLineBytes = options.splitLineBytes ?? CLOUDWATCH_SPLIT_LINE_BYTES;
  const out: Array<{ text: string; timestamp: number }> = [];
  // The unfinished last element of the previous event; `sure` when it filled the agent's buffer.
  let carry: { text: string; timestamp: number; sure: boolean } | null = null;
  for (const event of events) {
    const parsed = parseCloudWatchMessage(event.message);
    let lines: string[];
    if (parsed.kind === 'stream') lines = parsed.lines;
    else if (parsed.kind === 'text') lines = parsed.text.replace(/\r/g, '').split('\n');
    else continue;
    if (lines.length === 0) continue;
    // Judge the cut on this event's own final element, before any carried-over start is prepended.
    const lastBytes = parsed.kind === 'stream' ? Buffer.byteLength(lines[lines.length - 1]!, 'utf8') : 0;
    const cut = lastBytes >= splitLineBytes;
    if (carry !== null) {
      const continues = carry.sure || event.timestamp - carry.timestamp <= CLOUDWATCH_CUT_CONTINUATION_MS;
      if (continues) lines = [carry.text + lines[0], ...lines.slice(1)];
      else out.push({ text: carry.text, timestamp: carry.timestamp });
    }
    const last = lines[lines.length - 1]!;
    for (let i = 0; i < lines.length - (cut ? 1 : 0); i++)
      out.push({ text: lines[i]!, timestamp: event.timestamp });
    carry = cut
      ? {
          text: last,
          timestamp: event.timestamp,
          sure: lastBytes >= Math.max(splitLineBytes, CLOUDWATCH_SURE_CUT_BYTES),
        }
      : null;
    if (carry !== null && carry.text.length > MAX_MESSAGE_CHARS * 4) {
      // A pathological run of cut slices: emit what we have rather than grow without bound.
      out.push({ text: carry.text, timestamp: event.timestamp });
      carry = null;
    }
  }
  if (carry !== null) out.push({ text: carry.text, timestamp: carry.timestamp });
  return out;
}

export interface CloudWatchExportEvent {
  timestamp: number;
  message: string;
  ingestionTime?: number;
  logStreamName?: string;
  eventId?: string;
}

/**
 * Reads CloudWatch events that people saved to a file: `aws logs get-log-events` or
 * `filter-log-events` JSON, a JSON array of `{timestamp, message}`, or NDJSON with one agent event
 * (or one `{timestamp, message}`) per line. Throws BadInputError naming the first thing wrong.
 */
export function parseCloudWatchExport(text: string): CloudWatchExportEvent[] {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') throw new BadInputError('empty_export', 'CloudWatch export is empty');
  let whole: unknown;
  let wholeParsed = false;
  if (body.startsWith('{') || body.startsWith('[')) {
    try {
      whole = JSON.parse(body);
      wholeParsed = true;
    } catch {
      // Possibly NDJSON: several JSON documents, one per line.
    }
  }
  if (wholeParsed) {
    if (Array.isArray(whole)) return whole.map((item, i) => exportEvent(item, `element ${i}`));
    if (isRecord(whole) && Array.isArray(whole.events))
      return whole.events.map((item, i) => exportEvent(item, `events[${i}]`));
    if (isRecord(whole) && 'eventVersion' in whole) return [agentLineEvent(body, whole, 'line 1')];
    throw new BadInputError('not_cloudwatch_export', 'JSON has no "events" array and is not an agent event');
  }
  if (!body.startsWith('{'))
    throw new BadInputError('not_cloudwatch_export', 'CloudWatch export must be JSON or NDJSON');
  const events: CloudWatchExportEvent[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new BadInputError('malformed_json', `CloudWatch export line ${i + 1} is not valid JSON`, {
        cause: error,
      });
    }
    if (isRecord(value) && 'eventVersion' in value) events.push(agentLineEvent(line, value, `line ${i + 1}`));
    else events.push(exportEvent(value, `line ${i + 1}`));
  }
  return events;
}

function exportEvent(item: unknown, where: string): CloudWatchExportEvent {
  if (!isRecord(item)) throw new BadInputError('bad_event', `CloudWatch export ${where} is not an object`);
  const { timestamp, message } = item;
  if (typeof message !== 'string')
    throw new BadInputError('bad_event', `CloudWatch export ${where} has no string "message"`);
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp))
    throw new BadInputError('bad_event', `CloudWatch export ${where} has no numeric "timestamp"`);
  const event: CloudWatchExportEvent = { timestamp, message };
  if (typeof item.ingestionTime === 'number') event.ingestionTime = item.ingestionTime;
  if (typeof item.logStreamName === 'string') event.logStreamName = item.logStreamName;
  if (typeof item.eventId === 'string') event.eventId = item.eventId;
  return event;
}

/** One agent event saved as raw JSON: its only clock is `eventTime` (second precision). */
function agentLineEvent(line: string, value: Record<string, unknown>, where: string): CloudWatchExportEvent {
  const timestamp = typeof value.eventTime === 'string' ? Date.parse(value.eventTime) : Number.NaN;
  if (!Number.isFinite(timestamp))
    throw new BadInputError('bad_event', `CloudWatch export ${where} has no valid "eventTime"`);
  return { timestamp, message: line };
}
