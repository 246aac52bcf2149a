/**
 * Command extraction as a pass: drains the extract queue (the sessions whose transcripts changed,
 * queued by the store in the same transaction as the batch that changed them). Extraction reads the
 * stored evidence chunk by chunk through the store interface, outside any transaction; a session's
 * commands, its terminal width and the removal of its queue entry then commit in one call
 * (`extractQueue.complete`), so a killed process redoes at most the session it was on. A transcript
 * the emulator chokes on is recorded (`extractQueue.fail`: a finding, its commands marked incomplete)
 * and the pass goes on.
 */
import type { Config } from '../config.ts';
import { cloudWatchLines } from '../ingest/normalize/cloudwatch-events.ts';
import { scriptBody } from '../ingest/normalize/transcript.ts';
import type { ExtractionOutcome, Store } from '../store/index.ts';
import { extractFromBytes, extractFromCloudWatch, mergeForms } from '../terminal/index.ts';
import type { ExtractOptions } from '../terminal/types.ts';
import type { Pass, PassContext, PassCounters } from './pass.ts';
import { collect } from './readable-text.ts';
import { chooseTranscripts } from './transcript-choice.ts';

export interface ExtractCounters extends PassCounters {
  sessionsExtracted: number;
  commandsExtracted: number;
  extractFailures: number;
}

/**
 * Version of what extraction produces; raise it when the extractor changes what it finds, so
 * `extractQueue.queueOutdated` re-extracts sessions that older versions handled.
 */
export const EXTRACTOR_VERSION = 1;

/** Queue entries read per page: the pass walks the queue once per run, in session id order. */
const QUEUE_PAGE = 200;

/**
 * The extraction pass. Runs after every ingest poll (and at the end of an import).
 *
 * @example const done = await extractPass.run({ store, config, signal, log });
 */
export const extractPass: Pass & { run(ctx: PassContext): Promise<ExtractCounters> } = {
  name: 'extract',
  run: async function runExtractPass({ store, config, signal, log }) {
    const done: ExtractCounters = { sessionsExtracted: 0, commandsExtracted: 0, extractFailures: 0 };
    let after = '';
    for (;;) {
      const ids = await store.extractQueue.next(after, QUEUE_PAGE);
      if (ids.length === 0) return done;
      for (const sessionId of ids) {
        if (signal.aborted) return done;
        after = sessionId;
        let outcome: ExtractionOutcome | null;
        try {
          outcome = await extractSession(store, config, sessionId);
        } catch (err) {
          // The error's name only: messages from deep inside the emulator could quote transcript content.
          log(
            `session ${sessionId}: extraction failed (${(err as Error)?.name ?? 'Error'}), recorded as a finding`,
          );
          await store.extractQueue.fail(sessionId, 'failed');
          done.extractFailures++;
          continue;
        }
        // Outside the try: a store that cannot commit (lease lost, disk full) stops the pass.
        await store.extractQueue.complete(sessionId, outcome);
        done.sessionsExtracted++;
        done.commandsExtracted += outcome?.commands.length ?? 0;
      }
    }
  },
};

/**
 * Extracts a session's commands from its S3 form, its CloudWatch form, or both merged (S3 text with
 * CloudWatch times); null when it has no transcript to read.
 */
export async function extractSession(
  store: Store,
  config: Pick<Config, 'terminal'>,
  sessionId: string,
): Promise<ExtractionOutcome | null> {
  const session = await store.sessions.get(sessionId);
  const options: ExtractOptions = {
    startUser: session?.runAsUser ?? config.terminal.defaultUser,
    defaultCols: config.terminal.defaultCols,
    startedAt: session?.startedAt ?? null,
    endedAt: session?.endedAt ?? null,
  };
  const { s3, cloudwatch } = chooseTranscripts(await store.transcripts.list(sessionId), 'replay');
  const fromS3 = s3
    ? await extractFromBytes(scriptBody(store.transcripts.readChunks(s3.transcriptId)), options)
    : null;
  const fromCw = cloudwatch
    ? extractFromCloudWatch(
        cloudWatchLines(await collect(store.transcripts.readCwEvents(cloudwatch.transcriptId))),
        options,
      )
    : null;
  const result = fromS3 && fromCw ? mergeForms(fromS3, fromCw) : (fromS3 ?? fromCw);
  if (!result) return null;
  return {
    commands: result.commands,
    cols: result.cols,
    colsSource: result.colsSource,
    droppedCommands: result.droppedCommands,
    extractorVersion: EXTRACTOR_VERSION,
  };
}
