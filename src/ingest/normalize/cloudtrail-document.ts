/**
 * Every JSON shape CloudTrail evidence arrives in as a file: trail files (`{"Records":[...]}`, from
 * a bucket or an `aws s3 sync` copy), a bare record or array of records, NDJSON of records, saved
 * `aws cloudtrail lookup-events` output (`{"Events":[{"CloudTrailEvent":"<json>"}]}`) and saved
 * `aws ssm describe-sessions` output (`{"Sessions":[...]}`). Whole-file problems throw
 * BadInputError (the file is quarantined); a bad record is quarantined alone and the rest is kept.
 */
import { BadInputError } from '../../errors.ts';
import type { CtEventRow, DescribeSnapshotRow, QuarantineEntry } from '../../store/index.ts';
import { normalizeRecord } from './cloudtrail.ts';
import { describeSessionToRow } from './describe.ts';

export interface ParsedDocument {
  ctEvents: CtEventRow[];
  describeSnapshots: DescribeSnapshotRow[];
  quarantine: QuarantineEntry[];
  /** Records (or describe entries) seen, noise included. */
  records: number;
}

/** Per-file cap on individually quarantined records, so one rotten file cannot flood the table. */
const MAX_BAD_RECORDS_PER_FILE = 50;

/**
 * Parses one document's text. `itemKey` names the file or object in quarantine rows; `origin` is
 * stored on each event (s3://bucket/key, file path, ...).
 *
 * @example parseCloudTrailDocument(gunzipped.toString('utf8'), key, `s3://${bucket}/${key}`)
 */
export function parseCloudTrailDocument(text: string, itemKey: string, origin: string): ParsedDocument {
  const out: ParsedDocument = { ctEvents: [], describeSnapshots: [], quarantine: [], records: 0 };
  if (text.trim() === '') throw new BadInputError('empty', `${itemKey} is empty`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    if (looksLikeNdjson(text)) return parseNdjson(text, itemKey, origin, out);
    // V8 reports where parsing stopped: at (or past) the end of the text means the file was cut short.
    const message = (err as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? Number.NaN);
    const truncated = /end of (JSON )?input|Unterminated/i.test(message) || position >= text.trimEnd().length;
    throw new BadInputError(
      truncated ? 'truncated_json' : 'invalid_json',
      `${itemKey} is not valid JSON${truncated ? ' (truncated)' : ''}`,
    );
  }
  if (Array.isArray(doc)) {
    addRecords(doc, itemKey, origin, out);
    return out;
  }
  if (doc === null || typeof doc !== 'object') {
    throw new BadInputError(
      'not_cloudtrail',
      `${itemKey} holds a JSON ${typeof doc}, not CloudTrail records`,
    );
  }
  const o = doc as Record<string, unknown>;
  if ('Records' in o) {
    if (!Array.isArray(o.Records))
      throw new BadInputError('records_not_array', `${itemKey}: Records is not an array`);
    addRecords(o.Records, itemKey, origin, out);
  } else if ('Events' in o) {
    if (!Array.isArray(o.Events))
      throw new BadInputError('events_not_array', `${itemKey}: Events is not an array`);
    addLookupEvents(o.Events, itemKey, origin, out);
  } else if ('Sessions' in o) {
    if (!Array.isArray(o.Sessions))
      throw new BadInputError('sessions_not_array', `${itemKey}: Sessions is not an array`);
    o.Sessions.forEach((s, i) => {
      out.records++;
      guard(out, itemKey, i, () => out.describeSnapshots.push(describeSessionToRow(s, null)));
    });
  } else if ('eventID' in o || 'eventVersion' in o) {
    addRecords([o], itemKey, origin, out);
  } else {
    throw new BadInputError('not_cloudtrail', `${itemKey} has no Records, Events or Sessions`);
  }
  return out;
}

function addRecords(records: unknown[], itemKey: string, origin: string, out: ParsedDocument): void {
  out.records += records.length;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as { eventSource?: unknown } | null;
    // Cheap noise test inline: most of every file is other services.
    if (r === null || typeof r !== 'object' || r.eventSource !== 'ssm.amazonaws.com') continue;
    guard(out, itemKey, i, () => {
      const row = normalizeRecord(r, origin);
      if (row) out.ctEvents.push(row);
    });
  }
}

function addLookupEvents(events: unknown[], itemKey: string, origin: string, out: ParsedDocument): void {
  out.records += events.length;
  events.forEach((e, i) => {
    guard(out, itemKey, i, () => {
      const rawText = (e as { CloudTrailEvent?: unknown } | null)?.CloudTrailEvent;
      if (typeof rawText !== 'string')
        throw new BadInputError('bad_record', 'lookup event without CloudTrailEvent');
      let record: unknown;
      try {
        record = JSON.parse(rawText);
      } catch {
        throw new BadInputError('bad_record', 'CloudTrailEvent is not valid JSON');
      }
      const row = normalizeRecord(record, origin, rawText);
      if (row) out.ctEvents.push(row);
    });
  });
}

function parseNdjson(text: string, itemKey: string, origin: string, out: ParsedDocument): ParsedDocument {
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    out.records++;
    guard(out, itemKey, lineNo, () => {
      let record: unknown;
      try {
        record = JSON.parse(trimmed);
      } catch {
        throw new BadInputError('bad_record', `line ${lineNo} is not valid JSON`);
      }
      const row = normalizeRecord(record, origin, trimmed);
      if (row) out.ctEvents.push(row);
    });
  }
  return out;
}

/** NDJSON: the first line alone is a complete JSON object and more lines follow. */
function looksLikeNdjson(text: string): boolean {
  const nl = text.indexOf('\n');
  if (nl < 0) return false;
  const first = text.slice(0, nl).trim();
  if (!first.startsWith('{')) return false;
  try {
    JSON.parse(first);
    return text.slice(nl + 1).trim() !== '';
  } catch {
    return false;
  }
}

function guard(out: ParsedDocument, itemKey: string, index: number, body: () => void): void {
  try {
    body();
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
    if (out.quarantine.length < MAX_BAD_RECORDS_PER_FILE) {
      out.quarantine.push({ itemKey: `${itemKey}#${index}`, reason: err.reason, detail: err.message });
    }
  }
}
