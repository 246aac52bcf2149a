import { once } from 'node:events';
import { transcriptContent } from '../analyze/readable-text.ts';
import { chooseTranscripts } from '../analyze/transcript-choice.ts';
import { UsageError } from '../errors.ts';
import { visible } from '../util/visible.ts';
import { type CommandContext, configFor, parseCommandArgs, withStore } from './context.ts';

/**
 * `shelltrail transcript <sessionId>`: the stored transcript. `--raw` writes the stored bytes
 * exactly; `--text` (the default) what a reader wants (src/analyze/readable-text.ts). The S3 form
 * is preferred, as extraction prefers it (src/analyze/transcript-choice.ts). Everything streams
 * chunk by chunk, so a 500 MB transcript prints in bounded memory.
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
    const all = await store.transcripts.list(sessionId);
    const candidates = all.filter((t) => !values.source || t.source === values.source);
    const { s3, cloudwatch } = chooseTranscripts(candidates, 'display');
    const chosen = s3 ?? cloudwatch;
    if (!chosen) {
      const what = values.source ? `${values.source} transcript` : 'transcript';
      ctx.stderr.write(`shelltrail transcript: no ${what} stored for session ${sessionId}\n`);
      return 1;
    }
    const sameSource = candidates.filter((t) => t.source === chosen.source);
    if (sameSource.length > 1)
      ctx.stderr.write(
        `shelltrail transcript: ${sameSource.length} versions stored; showing ${visible(chosen.location)}\n`,
      );
    await write(ctx.stdout, transcriptContent(store, chosen, values.raw ? 'raw' : 'text'));
    return 0;
  });
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
