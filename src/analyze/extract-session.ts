/**
 * One session's extraction inside the budget pool: its transcripts are read through the store on
 * this thread (store I/O, cheap), and the emulator runs in the pool's worker threads, so a
 * transcript built to be expensive costs at most its time and memory budget, and this thread stays
 * free to renew the writer lease and to answer SIGTERM while it runs.
 */
import type { Config } from '../config.ts';
import { cloudWatchLines } from '../ingest/normalize/cloudwatch-events.ts';
import { scriptBody } from '../ingest/normalize/transcript.ts';
import type { Store } from '../store/index.ts';
import type { BudgetResult, ExtractionJob, ExtractionPool } from '../terminal/budget/pool.ts';
import { mergeForms } from '../terminal/index.ts';
import type { ExtractionResult, ExtractOptions } from '../terminal/types.ts';
import { collect } from './readable-text.ts';
import { chooseTranscripts } from './transcript-choice.ts';

/** What happened to one session's extraction. */
export type SessionVerdict =
  /** Extracted (result null: no transcript the emulator can read). */
  | { status: 'ok'; result: ExtractionResult | null }
  /**
   * A form went over its budget: `partial` holds what the other form gave (or null). The session is
   * recorded as incomplete with a finding, never retried by this extractor version.
   */
  | { status: 'over_budget'; partial: ExtractionResult | null; reason: 'time' | 'memory'; limit: number }
  /** The pool closed mid-run (SIGTERM): the session stays queued for the next run. */
  | { status: 'abandoned' }
  /** Extraction threw: a bug; the message stays in this process (it could quote transcript content). */
  | { status: 'failed'; errorName: string };

/**
 * Reads a session's chosen S3 and CloudWatch forms and extracts both in the pool (in parallel when
 * the pool has two workers), then merges them (S3 text with CloudWatch times).
 *
 * @example const verdict = await extractSessionInPool(store, config, pool, 'alice-0123456789abcdef0');
 */
export async function extractSessionInPool(
  store: Store,
  config: Pick<Config, 'terminal'>,
  pool: ExtractionPool,
  sessionId: string,
): Promise<SessionVerdict> {
  let jobs: Awaited<ReturnType<typeof readJobs>>;
  try {
    jobs = await readJobs(store, config, sessionId);
  } catch (err) {
    // A stored chunk that does not decode (or a body the script reader refuses): recorded, not fatal.
    return { status: 'failed', errorName: (err as Error)?.name ?? 'Error' };
  }
  const [fromS3, fromCw] = await Promise.all([
    jobs.s3 ? pool.run(jobs.s3) : null,
    jobs.cloudwatch ? pool.run(jobs.cloudwatch) : null,
  ]);
  const verdicts = [fromS3, fromCw].filter((v): v is BudgetResult => v !== null);
  if (verdicts.some((v) => v.status === 'abandoned')) return { status: 'abandoned' };
  const s3 = fromS3?.status === 'ok' ? fromS3.result : null;
  const cw = fromCw?.status === 'ok' ? fromCw.result : null;
  const over = verdicts.find((v) => v.status === 'over_budget');
  if (over?.status === 'over_budget') {
    return { status: 'over_budget', partial: s3 ?? cw, reason: over.reason, limit: over.limit };
  }
  if (verdicts.some((v) => v.status === 'failed')) return { status: 'failed', errorName: 'WorkerError' };
  return { status: 'ok', result: s3 && cw ? mergeForms(s3, cw) : (s3 ?? cw) };
}

/** The extraction jobs of a session's chosen transcripts, read whole (the pool moves them in one buffer). */
async function readJobs(
  store: Store,
  config: Pick<Config, 'terminal'>,
  sessionId: string,
): Promise<{ s3?: ExtractionJob; cloudwatch?: ExtractionJob }> {
  const session = await store.sessions.get(sessionId);
  const options: ExtractOptions = {
    startUser: session?.runAsUser ?? config.terminal.defaultUser,
    defaultCols: config.terminal.defaultCols,
    startedAt: session?.startedAt ?? null,
    endedAt: session?.endedAt ?? null,
  };
  const { s3, cloudwatch } = chooseTranscripts(await store.transcripts.list(sessionId), 'replay');
  const jobs: { s3?: ExtractionJob; cloudwatch?: ExtractionJob } = {};
  if (s3) {
    const chunks: Uint8Array[] = [];
    for await (const piece of scriptBody(store.transcripts.readChunks(s3.transcriptId))) chunks.push(piece);
    jobs.s3 = { form: 'bytes', chunks, options };
  }
  if (cloudwatch) {
    const events = await collect(store.transcripts.readCwEvents(cloudwatch.transcriptId));
    jobs.cloudwatch = { form: 'cloudwatch', lines: cloudWatchLines(events), options };
  }
  return jobs;
}
