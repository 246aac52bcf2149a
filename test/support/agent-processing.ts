/**
 * What the SSM agent does to terminal bytes before they reach CloudWatch Logs, reimplemented so
 * test fixtures (and benchmarks) can turn a real recording into the exact events AWS would hold.
 * It is the inverse of `cloudWatchLines` (src/ingest/normalize/cloudwatch-events.ts). Test support only:
 * nothing under src/ runs it. Sources (aws/amazon-ssm-agent):
 * - agent/session/shell/shell_unix.go: streams the ipcTempFile (raw pty output), with
 *   isCleanupOfControlCharactersRequired() = true and structured logs = true.
 * - agent/agentlogstocloudwatch/cloudwatchlogspublisher/cloudwatchlogsservice.go: every
 *   UploadFrequency (1 s) getNextMessage reads new lines with a 200,000-byte bufio.Reader and
 *   ReadSlice('\n') (a longer line comes out in 200,000-byte slices; a partial last line waits until
 *   the session ends), runs processMessage (ansi.Strip, raw line kept on error) on each, packs lines
 *   into messages of at most MessageLengthThresholdInBytes = 200*1000, at most 4 events per call;
 *   buildEventInfo replaces tabs with spaces, removes \r, splits on \n, drops one trailing "", and
 *   json.Marshal's the CloudWatchMessage struct (field order below; eventTime RFC3339 seconds).
 * - vendor/github.com/pborman/ansi (decode.go, strip.go): the stripper. It treats bytes 0x80-0x9f as
 *   single-byte C1 controls, so UTF-8 continuation bytes in that range are removed and the
 *   surrounding multibyte characters end up as U+FFFD after json.Marshal: Japanese text and emoji
 *   arrive mangled in CloudWatch (a real trap, reproduced here on purpose).
 */

export const AGENT_BUFFER_BYTES = 200_000;
export const AGENT_MAX_EVENTS_PER_CALL = 4;
export const AGENT_UPLOAD_INTERVAL_MS = 1000;

/** CSI final byte -> maximum parameter count (-1 = any), from the ECMA-48 table in pborman/ansi. */
const CSI_PARAMS: Record<string, number> = {
  m: -1,
  h: -1,
  l: -1,
  i: -1,
  o: -1,
  W: -1,
  H: 2,
  f: 2,
  R: 2,
  '@': 1,
  A: 1,
  B: 1,
  C: 1,
  D: 1,
  E: 1,
  F: 1,
  G: 1,
  I: 1,
  J: 1,
  K: 1,
  L: 1,
  M: 1,
  N: 1,
  O: 1,
  P: 1,
  Q: 1,
  S: 1,
  T: 1,
  U: 1,
  V: 1,
  X: 1,
  Y: 1,
  Z: 1,
  '^': 1,
  '`': 1,
  a: 1,
  b: 1,
  c: 1,
  d: 1,
  e: 1,
  g: 1,
  j: 1,
  k: 1,
  n: 1,
};

/**
 * Port of pborman/ansi Strip: returns the plain text of `line` and whether every escape sequence
 * was valid. Never throws; bounded by the input length.
 */
export function ansiStrip(line: Uint8Array): { text: Buffer; ok: boolean } {
  const out: number[] = [];
  let ok = true;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c !== 0x1b && (c & 0xe0) !== 0x80) {
      out.push(c);
      i++;
      continue;
    }
    if (c === 0x9b) {
      const r = decodeCsi(line, i + 1);
      ok &&= r.ok;
      i = r.next;
      continue;
    }
    if (c !== 0x1b) {
      // Single-byte C1: SS2 (0x8e) and SS3 (0x8f) also swallow the following byte.
      i += c === 0x8e || c === 0x8f ? 2 : 1;
      continue;
    }
    if (i + 1 >= n) {
      ok = false; // lone escape at end of input
      i++;
      continue;
    }
    const d = line[i + 1]!;
    if (d === 0x5b) {
      const r = decodeCsi(line, i + 2);
      ok &&= r.ok;
      i = r.next;
    } else if (d === 0x5f || d === 0x50 || d === 0x5d || d === 0x5e || d === 0x58) {
      // Control string (APC, DCS, OSC, PM, SOS): ends at ST (ESC \) or BEL.
      const r = decodeControlString(line, i + 2);
      ok &&= r.ok;
      i = r.next;
    } else if (d >= 0x40 && d <= 0x5f) {
      i += d === 0x4e || d === 0x4f ? 3 : 2;
    } else if (d >= 0x60 && d <= 0x7e) {
      i += 2;
    } else {
      ok = false; // e.g. ESC ( B, ESC =, ESC 7: unknown to the stripper
      i += 2;
    }
  }
  return { text: Buffer.from(out), ok };
}

function decodeControlString(line: Uint8Array, start: number): { next: number; ok: boolean } {
  for (let j = start; j < line.length; j++) {
    const b = line[j]!;
    if (b === 0x07) return { next: j + 1, ok: true };
    if (b === 0x1b && line[j + 1] === 0x5c) return { next: j + 2, ok: true };
    if (b === 0x1b && line[j + 1] === 0x58) return { next: j, ok: false }; // SOS inside a string
  }
  return { next: line.length, ok: false }; // missing string terminator
}

function decodeCsi(line: Uint8Array, start: number): { next: number; ok: boolean } {
  let j = start;
  while (j < line.length && line[j]! >= 0x30 && line[j]! <= 0x3f) j++;
  const params = Buffer.from(line.subarray(start, j)).toString('latin1');
  if (j >= line.length) return { next: j, ok: false };
  const interStart = j;
  for (; j < line.length; j++) {
    const b = line[j]!;
    if (b >= 0x40 && b <= 0x7e) {
      const intermediate = j > interStart;
      return { next: j + 1, ok: intermediate || paramsValid(params, String.fromCharCode(b)) };
    }
    if (b < 0x20 || b > 0x2f) return { next: j + 1, ok: false };
  }
  return { next: j, ok: false };
}

function paramsValid(params: string, final: string): boolean {
  const max = CSI_PARAMS[final];
  if (max === undefined || max === -1 || params === '') return true;
  const count = params.charCodeAt(0) <= 0x3b ? params.split(';').length : 1;
  return count <= max;
}

/** processMessage: the stripped line, or the raw line when the stripper reported an error. */
export function agentProcessLine(line: Uint8Array): Buffer {
  const { text, ok } = ansiStrip(line);
  return ok ? text : Buffer.from(line);
}

/** Go's json.Marshal string encoding: HTML-safe escapes, invalid UTF-8 bytes -> \ufffd each. */
export function goJsonString(bytes: Uint8Array): string {
  let out = '"';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if (b === 0x22) out += '\\"';
      else if (b === 0x5c) out += '\\\\';
      else if (b === 0x0a) out += '\\n';
      else if (b === 0x0d) out += '\\r';
      else if (b === 0x09) out += '\\t';
      else if (b < 0x20 || b === 0x3c || b === 0x3e || b === 0x26)
        out += `\\u00${b.toString(16).padStart(2, '0')}`;
      else out += String.fromCharCode(b);
      i++;
      continue;
    }
    const size = validRuneSize(bytes, i);
    if (size === 0) {
      out += '\\ufffd';
      i++;
      continue;
    }
    const ch = Buffer.from(bytes.subarray(i, i + size)).toString('utf8');
    out += ch === '\u2028' ? '\\u2028' : ch === '\u2029' ? '\\u2029' : ch;
    i += size;
  }
  return `${out}"`;
}

/** Length of the valid UTF-8 sequence at `i`, or 0 (Go's utf8.DecodeRune rules). */
function validRuneSize(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const v = bytes[i + k];
    return v !== undefined && v >= lo && v <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

export interface AgentIdentity {
  region: string;
  target: string;
  userArn: string;
  runAsUser: string;
  sessionId: string;
}

/** buildEventInfo with structured logs: the JSON string the agent puts into one event. */
export function buildAgentMessage(message: Uint8Array, identity: AgentIdentity, atMs: number): string {
  // Tabs -> spaces and \r removal are byte-safe on UTF-8 (neither byte occurs inside a sequence).
  const cleaned: number[] = [];
  for (const b of message) if (b !== 0x0d) cleaned.push(b === 0x09 ? 0x20 : b);
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i <= cleaned.length; i++) {
    if (i === cleaned.length || cleaned[i] === 0x0a) {
      parts.push(Buffer.from(cleaned.slice(from, i)));
      from = i + 1;
    }
  }
  if (parts.length > 0 && parts[parts.length - 1]!.length === 0) parts.pop();
  const eventTime = `${new Date(Math.floor(atMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
  const enc = (s: string) => goJsonString(Buffer.from(s, 'utf8'));
  return (
    `{"eventVersion":"1.0","eventTime":${enc(eventTime)},"awsRegion":${enc(identity.region)},` +
    `"target":{"id":${enc(identity.target)}},"userIdentity":{"arn":${enc(identity.userArn)}},` +
    `"runAsUser":${enc(identity.runAsUser)},"sessionId":${enc(identity.sessionId)},` +
    `"sessionData":[${parts.map((p) => goJsonString(p)).join(',')}]}`
  );
}

/** Bytes that reached the ipcTempFile at `atMs` (ms since the epoch). */
export interface TimedChunk {
  atMs: number;
  bytes: Uint8Array;
}

/**
 * Replays the agent's streaming loop over a recording: a tick every second from `startMs`, each
 * reading what the file held at that moment; after `endMs` the file is complete and the last
 * partial line goes out too. Returns CloudWatch events as GetLogEvents would list them.
 */
export function simulateCloudWatchStreaming(
  chunks: TimedChunk[],
  identity: AgentIdentity,
  window: { startMs: number; endMs: number },
): Array<{ timestamp: number; message: string }> {
  const file = Buffer.concat(chunks.map((c) => c.bytes));
  const arrivedBy: number[] = [];
  let total = 0;
  for (const c of chunks) {
    total += c.bytes.length;
    arrivedBy.push(total);
  }
  const sizeAt = (t: number) => {
    let size = 0;
    for (let k = 0; k < chunks.length && chunks[k]!.atMs <= t; k++) size = arrivedBy[k]!;
    return size;
  };
  const events: Array<{ timestamp: number; message: string }> = [];
  let offset = 0;
  for (let tick = window.startMs + AGENT_UPLOAD_INTERVAL_MS; ; tick += AGENT_UPLOAD_INTERVAL_MS) {
    const complete = tick > window.endMs;
    const size = complete ? file.length : sizeAt(tick);
    const batch: Buffer[] = [];
    let message: Buffer[] = [];
    let messageLength = 0;
    let cursor = offset;
    while (batch.length < AGENT_MAX_EVENTS_PER_CALL) {
      const available = size - cursor;
      if (available <= 0) break;
      const slice = file.subarray(cursor, cursor + Math.min(available, AGENT_BUFFER_BYTES));
      const nl = slice.indexOf(0x0a);
      let raw: Buffer;
      if (nl >= 0) raw = slice.subarray(0, nl + 1);
      else if (slice.length >= AGENT_BUFFER_BYTES) raw = slice;
      else if (complete) raw = slice;
      else break;
      const line = agentProcessLine(raw);
      if (messageLength + line.length > AGENT_BUFFER_BYTES) {
        batch.push(Buffer.concat(message));
        message = [];
        messageLength = 0;
        if (batch.length >= AGENT_MAX_EVENTS_PER_CALL) break;
      }
      message.push(line);
      messageLength += line.length;
      cursor += raw.length;
    }
    if (messageLength > 0) batch.push(Buffer.concat(message));
    batch.forEach((m, k) => {
      const at = tick + 3 + k;
      events.push({ timestamp: at, message: buildAgentMessage(m, identity, at) });
    });
    offset = cursor;
    if (complete && offset >= file.length) break;
  }
  return events;
}
