import { once } from 'node:events';
import { cloudWatchLines } from '../ingest/cloudwatch-events.ts';
import { scriptBody } from '../ingest/transcript.ts';
import type { Store } from '../store/open.ts';
import {
  listTranscripts,
  readCwEvents,
  readTranscriptChunks,
  type StoredTranscript,
} from '../store/transcripts.ts';
import { renderText } from '../terminal/index.ts';
import { type CommandContext, configFor, parseCommandArgs, UsageError, withStore } from './context.ts';

/**
 * `shelltrail transcript <sessionId>`: the stored transcript. `--raw` writes the stored bytes
 * exactly (S3 object, or the CloudWatch event messages one per line); `--text` (the default) what a
 * reader wants: the S3 form rendered through the terminal emulator, or the CloudWatch lines.
 * Everything streams chunk by chunk, so a 500 MB transcript prints in bounded memory.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(ctx, {
    raw: { type: 'boolean' },
    text: { type: 'boolean' },
    source: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('expected exactly one session id');
  if (values.raw && values.text) throw new UsageError('--raw and --text exclude each other');
  if (values.source && values.source !== 's3' && values.source !== 'cloudwatch')
    throw new UsageError(`--source: expected s3 or cloudwatch, got "${values.source}"`);
  const sessionId = positionals[0]!;
  const config = configFor(ctx, values);
  return withStore(config, async (store) => {
    const all = listTranscripts(store, sessionId);
    const candidates = all.filter((t) => !values.source || t.source === values.source);
    const chosen = choose(candidates);
    if (!chosen) {
      const what = values.source ? `${values.source} transcript` : 'transcript';
      ctx.stderr.write(`shelltrail transcript: no ${what} stored for session ${sessionId}\n`);
      return 1;
    }
    const sameSource = candidates.filter((t) => t.source === chosen.source);
    if (sameSource.length > 1)
      ctx.stderr.write(
        `shelltrail transcript: ${sameSource.length} versions stored; showing ${chosen.location}\n`,
      );
    await write(ctx.stdout, output(store, chosen, values.raw ? 'raw' : 'text'));
    return 0;
  });
}

/** S3 first (it is byte-exact); among versions the earliest upload, as extraction does. */
function choose(transcripts: StoredTranscript[]): StoredTranscript | undefined {
  const s3 = transcripts
    .filter((t) => t.source === 's3')
    .sort(
      (a, b) =>
        (a.lastModified ?? Infinity) - (b.lastModified ?? Infinity) ||
        a.transcriptId.localeCompare(b.transcriptId),
    );
  return s3[0] ?? transcripts.find((t) => t.source === 'cloudwatch');
}

async function* output(
  store: Store,
  t: StoredTranscript,
  mode: 'raw' | 'text',
): AsyncGenerator<string | Buffer> {
  if (t.source === 'cloudwatch') {
    if (mode === 'raw') {
      for (const e of readCwEvents(store, t.transcriptId)) yield `${e.message}\n`;
      return;
    }
    for (const line of cloudWatchLines(readCwEvents(store, t.transcriptId))) yield `${line.text}\n`;
    return;
  }
  const chunks = readTranscriptChunks(store, t.transcriptId);
  if (mode === 'raw') {
    yield* chunks;
    return;
  }
  if (t.format === 'script' || t.format === 'raw') {
    for await (const line of renderText(scriptBody(chunks))) yield `${line}\n`;
    return;
  }
  // PowerShell transcripts and unknown formats are already text.
  for await (const chunk of chunks) yield chunk;
}

/**
 * Writes with backpressure, so output speed bounds memory instead of the transcript's size.
 * A reader that goes away (`| head`) ends the output quietly.
 */
async function write(out: NodeJS.WritableStream, pieces: AsyncIterable<string | Buffer>): Promise<void> {
  let failed: NodeJS.ErrnoException | null = null;
  const emitter = out as NodeJS.EventEmitter;
  const onError = (err: NodeJS.ErrnoException) => {
    failed = err;
    emitter.emit('drain');
  };
  emitter.on('error', onError);
  try {
    for await (const piece of pieces) {
      if (failed) break;
      if (!out.write(piece)) await once(emitter, 'drain');
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
  } finally {
    emitter.off('error', onError);
  }
  const error = failed as NodeJS.ErrnoException | null;
  if (error && error.code !== 'EPIPE') throw error;
}
