/**
 * Pure parsers for the transcript shapes the SSM agent writes to S3 (see ssm-formats.md §2): the
 * `script(1)` typescript, raw terminal bytes, PowerShell transcripts, and format detection. The
 * CloudWatch shapes live in cloudwatch-events.ts. No I/O; every buffer is bounded by a constant.
 */

export type TranscriptFormat = 'script' | 'raw' | 'powershell' | 'cloudwatch_stream' | 'cloudwatch_text';

/** What the `Script started on ...` line tells: when the log was generated and which session it holds. */
export interface ScriptHeader {
  /** ms UTC when `script` ran (the end of the session, not its start); null when unparseable. */
  time: number | null;
  sessionId: string | null;
  target: string | null;
}

/** The `Script done on ... [COMMAND_EXIT_CODE="0"]` line. */
export interface ScriptFooter {
  time: number | null;
  exitCode: number | null;
}

const HEADER_PREFIX = 'Script started on ';
const FOOTER_MARKER = Buffer.from('\nScript done on ');
/** A header line longer than this is not one `script` wrote (the COMMAND path is < 300 bytes). */
const MAX_HEADER_BYTES = 4096;
/** The footer is short: date + exit code. Holding back this much is enough to find it. */
const FOOTER_HOLDBACK_BYTES = 512;
/** The agent's ipcTempFile path inside the header's COMMAND: target and session id live here. */
const AGENT_PATH_RE =
  /\/var\/lib\/amazon\/ssm\/([^/"\s]+)\/session\/orchestration\/([^/"\s]+)\/Standard_Stream\/ipcTempFile\.log/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Parses the date `script` prints: util-linux >= 2.35 `2025-09-29 16:58:03+00:00`, older builds
 * `2020-05-27 23:00:48+0000`, and the ctime-like forms of even older ones
 * (`Wed 27 May 2020 11:00:48 PM UTC`, `Wed May 27 23:00:48 2020`), read as UTC.
 */
export function parseScriptDate(text: string): number | null {
  const iso = /(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\s*(Z|[+-]\d{2}:?\d{2}))?/.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, zone] = iso;
    let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
    if (zone && zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
    }
    return Number.isFinite(ms) ? ms : null;
  }
  const dayFirst = /(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AP]M))?/.exec(text);
  const monthFirst = /([A-Za-z]{3}) +(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})(?: [A-Z]{2,5})? (\d{4})/.exec(text);
  let parts: [string, string, string, string, string, string, string | undefined] | null = null;
  if (dayFirst)
    parts = [dayFirst[3]!, dayFirst[2]!, dayFirst[1]!, dayFirst[4]!, dayFirst[5]!, dayFirst[6]!, dayFirst[7]];
  else if (monthFirst)
    parts = [
      monthFirst[6]!,
      monthFirst[1]!,
      monthFirst[2]!,
      monthFirst[3]!,
      monthFirst[4]!,
      monthFirst[5]!,
      undefined,
    ];
  if (!parts) return null;
  const month = MONTHS.indexOf(parts[1].toLowerCase());
  if (month < 0) return null;
  let hour = Number(parts[3]);
  if (parts[6] === 'PM' && hour < 12) hour += 12;
  if (parts[6] === 'AM' && hour === 12) hour = 0;
  return Date.UTC(Number(parts[0]), month, Number(parts[2]), hour, Number(parts[4]), Number(parts[5]));
}

/**
 * Reads the `Script started on ...` header line. Returns null when the bytes are not a typescript
 * or the header line is incomplete (no newline within the first 4 KiB).
 * @example parseScriptHeader(buf)?.header.sessionId // 'alice-0a1b2c3d4e5f67890'
 */
export function parseScriptHeader(firstBytes: Buffer): { header: ScriptHeader; headerLength: number } | null {
  const start = hasUtf8Bom(firstBytes) ? 3 : 0;
  if (firstBytes.toString('latin1', start, start + HEADER_PREFIX.length) !== HEADER_PREFIX) return null;
  const newline = firstBytes.indexOf(0x0a, start);
  if (newline < 0 || newline - start > MAX_HEADER_BYTES) return null;
  const line = firstBytes.toString('utf8', start + HEADER_PREFIX.length, newline).replace(/\r$/, '');
  const bracket = line.indexOf(' [');
  const time = parseScriptDate(bracket >= 0 ? line.slice(0, bracket) : line);
  const path = AGENT_PATH_RE.exec(line);
  return {
    header: { time, target: path?.[1] ?? null, sessionId: path?.[2] ?? null },
    headerLength: newline + 1,
  };
}

function parseScriptFooter(line: string): ScriptFooter {
  const code = /COMMAND_EXIT_CODE="(-?\d{1,6})"/.exec(line);
  return { time: parseScriptDate(line), exitCode: code ? Number(code[1]) : null };
}

function hasUtf8Bom(buf: Buffer): boolean {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
}

/**
 * Streams the body of a typescript: the header line and the `Script done on` footer are removed,
 * everything between is yielded unchanged. Raw bytes (no header) pass through whole; a missing
 * footer (truncated upload) is fine. Holds back at most ~4.5 KiB. After iteration, `header` and
 * `footer` tell what was found.
 * @example
 * const body = new ScriptBodyStream(s3Object.Body);
 * for await (const bytes of body) emulator.write(bytes);
 * body.footer?.exitCode;
 */
export class ScriptBodyStream implements AsyncIterable<Buffer> {
  header: ScriptHeader | null = null;
  footer: ScriptFooter | null = null;
  /** Bytes removed from the front (the header line), so offsets into the body map to the object. */
  headerLength = 0;

  constructor(private readonly source: AsyncIterable<Uint8Array>) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    let head: Buffer | null = Buffer.alloc(0);
    let tail: Buffer = Buffer.alloc(0);
    for await (const chunk of this.source) {
      let bytes: Buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (head) {
        head = Buffer.concat([head, bytes]);
        if (!this.headerDecided(head)) continue;
        bytes = head.subarray(this.headerLength);
        head = null;
      }
      tail = tail.length ? Buffer.concat([tail, bytes]) : bytes;
      if (tail.length > FOOTER_HOLDBACK_BYTES) {
        const cut = tail.length - FOOTER_HOLDBACK_BYTES;
        yield Buffer.from(tail.subarray(0, cut));
        tail = Buffer.from(tail.subarray(cut));
      }
    }
    if (head) {
      // The stream ended before a header line completed: whatever it was, it is all body.
      tail = head;
    }
    const footerAt = this.header ? findFooter(tail) : -1;
    if (footerAt >= 0) {
      this.footer = parseScriptFooter(tail.toString('utf8', footerAt + 1).trim());
      tail = tail.subarray(0, footerAt);
    }
    if (tail.length) yield Buffer.from(tail);
  }

  /** True once we know whether `head` starts with a header (and how long it is). */
  private headerDecided(head: Buffer): boolean {
    const start = hasUtf8Bom(head) ? 3 : 0;
    const probe = head.toString('latin1', start, start + HEADER_PREFIX.length);
    if (!HEADER_PREFIX.startsWith(probe)) return true; // not a typescript: raw bytes
    if (probe.length < HEADER_PREFIX.length) return false; // need more bytes to tell
    const parsed = parseScriptHeader(head);
    if (parsed) {
      this.header = parsed.header;
      this.headerLength = parsed.headerLength;
      return true;
    }
    return head.length - start > MAX_HEADER_BYTES; // an endless "header": give up, treat as raw
  }
}

/** Position of the `\n` that starts a footer line ending the buffer, or -1. */
function findFooter(tail: Buffer): number {
  const at = tail.lastIndexOf(FOOTER_MARKER);
  if (at < 0) return -1;
  const rest = tail.toString('latin1', at + FOOTER_MARKER.length);
  // The footer is the final line: nothing but an optional newline may follow it.
  return /^[^\n]*\n?$/.test(rest) ? at : -1;
}

/** The same as `new ScriptBodyStream(chunks)`, for callers that only want the bytes. */
export async function* scriptBody(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  yield* new ScriptBodyStream(chunks);
}

/**
 * Guesses the shape of a transcript from its first bytes (a few KiB is plenty).
 * CloudWatch exports (get-log-events / filter-log-events JSON, arrays, NDJSON) are classified by
 * their first message: the agent's JSON event means streaming, anything else the text upload.
 */
export function detectFormat(firstBytes: Buffer): TranscriptFormat {
  const text = firstBytes.toString('utf8', hasUtf8Bom(firstBytes) ? 3 : 0, 8192);
  if (text.startsWith(HEADER_PREFIX)) return 'script';
  if (
    text.startsWith('**********************') ||
    /^\uFEFF?\*{10,}\r?\n(Windows )?PowerShell transcript start/.test(text)
  )
    return 'powershell';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{"eventVersion"') || /^\{\s*"eventVersion"\s*:/.test(trimmed))
    return 'cloudwatch_stream';
  if (/^[[{]\s*("events"\s*:\s*\[\s*)?\{/.test(trimmed) && /"message"\s*:/.test(trimmed)) {
    return /"message"\s*:\s*"\{\\"eventVersion\\"/.test(trimmed) ? 'cloudwatch_stream' : 'cloudwatch_text';
  }
  return 'raw';
}
