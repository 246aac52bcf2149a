/**
 * Runs command extraction for the sessions whose transcripts changed (the `extract_queue` that
 * store/evidence.ts fills). Extraction reads the stored evidence chunk by chunk, outside any
 * transaction; each session's commands, its terminal width and the removal of its queue row then
 * commit together, so a killed process redoes at most the session it was on. A transcript the
 * emulator chokes on is quarantined and the pass goes on.
 */
import type { Config } from '../config.ts';
import { replaceSessionCommands } from '../store/commands.ts';
import type { Store } from '../store/open.ts';
import {
  listTranscripts,
  readCwEvents,
  readTranscriptChunks,
  type StoredTranscript,
} from '../store/transcripts.ts';
import { extractFromBytes, extractFromCloudWatch, mergeForms } from '../terminal/index.ts';
import type { ExtractionResult, ExtractOptions } from '../terminal/types.ts';
import { cloudWatchLines } from '../ingest/cloudwatch-events.ts';
import { scriptBody } from '../ingest/transcript.ts';

export const EXTRACT_SOURCE_ID = 'extract';

export interface ExtractCounters {
  sessionsExtracted: number;
  commandsExtracted: number;
  extractFailures: number;
}

/** S3-form transcripts the emulator can read: `script` typescripts and raw terminal bytes. */
const EMULATABLE = new Set(['script', 'raw']);
const QUEUE_PAGE = 200;

/**
 * Drains the extract queue. Call it after every ingest poll (and at the end of an import) with the
 * same store; returns what it did and adds it into `counters` when given.
 *
 * @example await runExtractPass(store, config, counters);
 */
export async function runExtractPass(
  store: Store,
  config: Pick<Config, 'terminal'>,
  counters?: Partial<ExtractCounters>,
  signal?: AbortSignal,
): Promise<ExtractCounters> {
  const done: ExtractCounters = { sessionsExtracted: 0, commandsExtracted: 0, extractFailures: 0 };
  const page = store.sqlite.prepare(
    'SELECT session_id FROM extract_queue WHERE session_id > ? ORDER BY session_id LIMIT ?',
  );
  let after = '';
  for (;;) {
    const ids = (page.all(after, QUEUE_PAGE) as { session_id: string }[]).map((r) => r.session_id);
    if (ids.length === 0) break;
    for (const sessionId of ids) {
      if (signal?.aborted) return fold(done, counters);
      after = sessionId;
      try {
        const result = await extractSession(store, config, sessionId);
        commitSession(store, sessionId, result);
        done.sessionsExtracted++;
        done.commandsExtracted += result?.commands.length ?? 0;
      } catch (err) {
        quarantineSession(store, sessionId, err);
        done.extractFailures++;
      }
    }
  }
  return fold(done, counters);
}

function fold(done: ExtractCounters, counters?: Partial<ExtractCounters>): ExtractCounters {
  if (counters) {
    counters.sessionsExtracted = (counters.sessionsExtracted ?? 0) + done.sessionsExtracted;
    counters.commandsExtracted = (counters.commandsExtracted ?? 0) + done.commandsExtracted;
    counters.extractFailures = (counters.extractFailures ?? 0) + done.extractFailures;
  }
  return done;
}

/** Extracts from the S3 form, the CloudWatch form, or both merged; null when there is nothing to read. */
export async function extractSession(
  store: Store,
  config: Pick<Config, 'terminal'>,
  sessionId: string,
): Promise<ExtractionResult | null> {
  const session = store.sqlite
    .prepare('SELECT run_as_user, started_at, ended_at FROM sessions WHERE session_id = ?')
    .get(sessionId) as
    | { run_as_user: string | null; started_at: number | null; ended_at: number | null }
    | undefined;
  const options: ExtractOptions = {
    startUser: session?.run_as_user ?? config.terminal.defaultUser,
    defaultCols: config.terminal.defaultCols,
    startedAt: session?.started_at ?? null,
    endedAt: session?.ended_at ?? null,
  };
  const transcripts = listTranscripts(store, sessionId);
  const s3 = pickS3(transcripts);
  const cw = transcripts.find((t) => t.source === 'cloudwatch' && t.byteSize > 0);
  const fromS3 = s3
    ? await extractFromBytes(scriptBody(readTranscriptChunks(store, s3.transcriptId)), options)
    : null;
  const fromCw = cw
    ? await extractFromCloudWatch(cloudWatchLines(readCwEvents(store, cw.transcriptId)), options)
    : null;
  if (fromS3 && fromCw) return mergeForms(fromS3, fromCw);
  return fromS3 ?? fromCw;
}

/**
 * The S3-form transcript to replay. With several versions of one object (an integrity finding
 * already), the earliest upload is the agent's own; later ones are what someone rewrote.
 */
function pickS3(transcripts: StoredTranscript[]): StoredTranscript | undefined {
  return transcripts
    .filter((t) => t.source === 's3' && EMULATABLE.has(t.format) && t.byteSize > 0)
    .sort(
      (a, b) =>
        (a.lastModified ?? Number.MAX_SAFE_INTEGER) - (b.lastModified ?? Number.MAX_SAFE_INTEGER) ||
        a.transcriptId.localeCompare(b.transcriptId),
    )[0];
}

function commitSession(store: Store, sessionId: string, result: ExtractionResult | null): void {
  store.sqlite
    .transaction(() => {
      replaceSessionCommands(store, sessionId, result?.commands ?? []);
      store.sqlite
        .prepare('UPDATE sessions SET term_cols = ?, term_cols_source = ? WHERE session_id = ?')
        .run(result?.cols ?? null, result?.colsSource ?? null, sessionId);
      // A session past the per-session command bound keeps its first commands; say so rather than hide it.
      if (result?.droppedCommands) {
        store.sqlite
          .prepare(
            `INSERT INTO quarantine (source_id, item_key, reason, detail) VALUES (?, ?, 'commands_truncated', ?)
             ON CONFLICT DO UPDATE SET detail = excluded.detail`,
          )
          .run(
            EXTRACT_SOURCE_ID,
            sessionId,
            `${result.droppedCommands} commands past the per-session bound not kept`,
          );
      }
      store.sqlite.prepare('DELETE FROM extract_queue WHERE session_id = ?').run(sessionId);
    })
    .immediate();
}

/** The error's name only: messages from deep inside the emulator could quote transcript content. */
function quarantineSession(store: Store, sessionId: string, err: unknown): void {
  store.sqlite
    .transaction(() => {
      store.sqlite
        .prepare(
          `INSERT INTO quarantine (source_id, item_key, reason, detail) VALUES (?, ?, 'extract_failed', ?)
         ON CONFLICT DO NOTHING`,
        )
        .run(EXTRACT_SOURCE_ID, sessionId, (err as Error)?.name ?? 'Error');
      store.sqlite.prepare('DELETE FROM extract_queue WHERE session_id = ?').run(sessionId);
    })
    .immediate();
}
