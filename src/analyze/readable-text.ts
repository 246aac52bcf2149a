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
import { isReplayable } from './transcript-choice.ts';

export type TranscriptView = 'raw' | 'text';

/**
 * The transcript's content in the given view, as strings and buffers to write in order.
 *
 * @example for await (const piece of transcriptContent(store, chosen, 'text')) out.write(piece);
 */
export async function* transcriptContent(
  store: Store,
  transcript: TranscriptRow,
  view: TranscriptView,
): AsyncGenerator<string | Buffer> {
  if (transcript.source === 'cloudwatch') {
    const events = store.transcripts.readCwEvents(transcript.transcriptId);
    if (view === 'raw') {
      for await (const e of events) yield `${e.message}\n`;
      return;
    }
    for (const line of cloudWatchLines(await collect(events))) yield `${line.text}\n`;
    return;
  }
  const chunks = store.transcripts.readChunks(transcript.transcriptId);
  if (view === 'raw') {
    yield* chunks;
    return;
  }
  if (isReplayable(transcript)) {
    for await (const line of renderText(scriptBody(chunks))) yield `${line}\n`;
    return;
  }
  // PowerShell transcripts and unknown formats are already text.
  yield* chunks;
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
