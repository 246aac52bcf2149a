/**
 * A stored transcript as a reader gets it, streamed piece by piece so a 500 MB transcript prints in
 * bounded memory: `raw` is exactly what was stored (the S3 object, or the CloudWatch event messages
 * one per line); `text` is what a person wants to read (the S3 form rendered through the terminal
 * emulator, or the CloudWatch lines).
 */
import { cloudWatchLines } from '../ingest/normalize/cloudwatch-events.ts';
import { scriptBody } from '../ingest/normalize/transcript.ts';
import type { Store, StoredCwEvent, TranscriptRow } from '../store/index.ts';
import { renderText } from '../terminal/index.ts';
import { visible } from '../util/visible.ts';
import { isReplayable } from './transcript-choice.ts';

export type TranscriptView = 'raw' | 'text';

/**
 * What the text view escapes, as the CLI tables do (util/visible.ts): C0 controls but newline and
 * tab (ESC, so OSC 52 clipboard writes, OSC 0 titles and screen clears; CR, which would let a line
 * overwrite what was printed before it), DEL, C1 controls and the bidi marks. A reader's terminal
 * acts on none of what a transcript's author wrote.
 */
const UNSAFE_IN_TEXT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text with every control but newline and tab, and every bidi mark, as a visible escape. */
export function safeText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, visible);
}

/** What the content needs from the store: read-only, so a role-scoped store fits. */
export interface TranscriptReader {
  transcripts: Pick<Store['transcripts'], 'readChunks' | 'readCwEvents'>;
}

/**
 * The transcript's content in the given view, as strings and buffers to write in order.
 *
 * @example for await (const piece of transcriptContent(store, chosen, 'text')) out.write(piece);
 */
export async function* transcriptContent(
  store: TranscriptReader,
  transcript: TranscriptRow,
  view: TranscriptView,
): AsyncGenerator<string | Buffer> {
  if (transcript.source === 'cloudwatch') {
    const events = store.transcripts.readCwEvents(transcript.transcriptId);
    if (view === 'raw') {
      for await (const e of events) yield `${e.message}\n`;
      return;
    }
    for (const line of cloudWatchLines(await collect(events))) yield `${safeText(line.text)}\n`;
    return;
  }
  const chunks = store.transcripts.readChunks(transcript.transcriptId);
  if (view === 'raw') {
    yield* chunks;
    return;
  }
  if (isReplayable(transcript)) {
    for await (const line of renderText(scriptBody(chunks))) yield `${safeText(line)}\n`;
    return;
  }
  // PowerShell transcripts and unknown formats are already text: decoded (a character cut between
  // chunks is held for the next) and escaped like the rest.
  // CRLF line ends (PowerShell writes them) are kept as line ends; a lone CR is escaped.
  const decoder = new TextDecoder('utf-8');
  let held = '';
  for await (const chunk of chunks) {
    const text = held + decoder.decode(chunk, { stream: true });
    held = text.endsWith('\r') ? '\r' : '';
    yield safeText((held ? text.slice(0, -1) : text).replaceAll('\r\n', '\n'));
  }
  const rest = held + decoder.decode();
  if (rest) yield safeText(rest.replaceAll('\r\n', '\n'));
}

/**
 * A CloudWatch transcript's events in one array: joining lines that CloudWatch split across events
 * needs them in order, and the line list it builds is as large anyway.
 */
export async function collect(events: AsyncIterable<StoredCwEvent>): Promise<StoredCwEvent[]> {
  const all: StoredCwEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}
