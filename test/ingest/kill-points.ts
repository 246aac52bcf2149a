/**
 * Drives `kill -9` convergence tests: SIGKILLs a real child process at seeded random moments until
 * the wanted number of kills has landed mid-run. A run that finishes before its kill time does not
 * count; the window then shrinks to what that run needed, so the kills keep landing inside real
 * work however fast or loaded the machine is (a fixed time window made these tests flaky).
 */
import type { ChildProcess } from 'node:child_process';
import { seededRng } from '../../src/util/random.ts';

export interface RunHandle {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stderr?: string }>;
}

export interface KillReport {
  /** Runs killed mid-way. */
  killed: number;
  /** Runs that finished before their kill time (not counted). */
  finished: number;
  /** The kill delays that landed, in ms. */
  delays: number[];
}

/**
 * Starts `start()` again and again, killing each run after a random delay in
 * [minMs, minMs + windowMs), until `kills` kills landed or `maxRuns` runs were made.
 */
export async function killAtRandomPoints(
  start: () => RunHandle,
  options: { kills: number; seed: number; minMs: number; windowMs: number; maxRuns?: number },
): Promise<KillReport> {
  const rng = seededRng(options.seed);
  let windowMs = options.windowMs;
  const report: KillReport = { killed: 0, finished: 0, delays: [] };
  const maxRuns = options.maxRuns ?? options.kills * 4;
  for (let run = 0; run < maxRuns && report.killed < options.kills; run++) {
    const delay = Math.round(options.minMs + rng.next() * windowMs);
    const started = Date.now();
    const handle = start();
    const timer = setTimeout(() => handle.child.kill('SIGKILL'), delay);
    const result = await handle.done;
    clearTimeout(timer);
    if (result.signal === 'SIGKILL') {
      report.killed++;
      report.delays.push(delay);
    } else {
      if (result.code !== 0)
        throw new Error(`run ${run} exited with code ${result.code} before its kill: ${result.stderr ?? ''}`);
      report.finished++;
      // Less work is left than the window assumed: aim inside what this run needed.
      windowMs = Math.max(50, (Date.now() - started - options.minMs) * 0.8);
    }
  }
  return report;
}
