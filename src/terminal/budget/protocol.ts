/** What the pool and its workers send each other, and what a job resolves to. */
import type { ExtractionResult, ExtractOptions } from '../types.ts';

export type ExtractionJob =
  | { form: 'bytes'; chunks: Uint8Array[]; options?: ExtractOptions }
  | { form: 'cloudwatch'; lines: Array<{ text: string; timestamp: number }>; options?: ExtractOptions };

export type BudgetResult =
  | { status: 'ok'; result: ExtractionResult; ms: number }
  /** Stopped: the transcript went over its time or memory budget (record a finding, do not retry). */
  | { status: 'over_budget'; reason: 'time' | 'memory'; ms: number; limit: number }
  /** The pool closed before the job finished (re-queue it). */
  | { status: 'abandoned' }
  /** Extraction threw: a bug, not the transcript's cost. */
  | { status: 'failed'; error: string; ms: number };

/** Pool -> worker: the job, its bytes moved (not copied) in one transferred buffer. */
export type WorkerRequest =
  | { id: number; form: 'bytes'; buffer: ArrayBuffer; options?: ExtractOptions }
  | {
      id: number;
      form: 'cloudwatch';
      lines: Array<{ text: string; timestamp: number }>;
      options?: ExtractOptions;
    };

/** Worker -> pool (`ready` once its modules are loaded: budgets count from then). */
export type WorkerReply =
  | { ready: true }
  | { id: number; ok: true; result: ExtractionResult }
  | { id: number; ok: false; error: string };
