/**
 * A local folder as a source: a trail bucket copy (`aws s3 sync`), loose trail files, NDJSON,
 * saved API output, and whatever else a handler in FILE_HANDLERS recognizes. Files are walked in
 * sorted order, each is one batch (evidence + ledger entry keyed by relative path + sha256), so a
 * re-import skips what is done and a killed import resumes where it stopped.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { BadInputError } from '../../errors.ts';
import { isInLedger } from '../../store/evidence.ts';
import { type Batcher, createBatcher } from '../batcher.ts';
import { decodeObject } from '../decode.ts';
import { cloudtrailJsonHandler } from '../local/cloudtrail-files.ts';
import type { FileHandler, LocalFile } from '../local/handler.ts';
import { TRANSCRIPT_FILE_HANDLERS } from '../local/transcript-files.ts';
import type { Source, SourceContext } from '../source.ts';

/**
 * The registry, tried in order; the first handler that accepts a file reads it. Add a handler
 * here (more specific ones first) to teach `import` a new file kind.
 */
export const FILE_HANDLERS: FileHandler[] = [...TRANSCRIPT_FILE_HANDLERS, cloudtrailJsonHandler];

/** Files read ahead of the one being written: enough to hide gunzip latency, bounded memory. */
const PREFETCH = 3;
/** Bytes of decoded content shown to `accepts`. */
const HEAD_BYTES = 512;

export interface LocalDirOptions {
  handlers?: FileHandler[];
  /** Test knob: pause after each file, so a kill lands at many different points. */
  pauseAfterFileMs?: number;
}

export function localDirSource(dir: string, options: LocalDirOptions = {}): Source {
  const root = resolve(dir);
  const handlers = options.handlers ?? FILE_HANDLERS;
  return {
    id: `local:${root}`,
    async poll(ctx) {
      const { base, files } = await walk(root);
      ctx.counters.itemsTotal += files.length;
      const loadFile = (absPath: string) => {
        const p = load(ctx, this.id, base, absPath);
        p.catch(() => {}); // awaited in order below
        return p;
      };
      // Read and inflate (on the libuv pool) a few files ahead while this one is parsed and written.
      const pending = files.slice(0, PREFETCH).map(loadFile);
      const batcher = createBatcher(ctx, options.pauseAfterFileMs ? { items: 1 } : {});
      for (let i = 0; i < files.length; i++) {
        if (ctx.signal.aborted) break;
        const current = pending[i]!;
        if (i + PREFETCH < files.length) pending.push(loadFile(files[i + PREFETCH]!));
        pending[i] = undefined as unknown as Promise<Loaded>; // let the buffers go once written
        await importFile(ctx, batcher, await current, handlers);
        ctx.counters.itemsRead++;
        if (options.pauseAfterFileMs) await new Promise((r) => setTimeout(r, options.pauseAfterFileMs));
      }
      batcher.flush();
    },
  };
}

interface Loaded {
  relPath: string;
  absPath: string;
  skip?: string;
  bytes?: Buffer;
  version?: string;
  content?: Buffer;
  error?: BadInputError;
}

async function load(ctx: SourceContext, sourceId: string, base: string, absPath: string): Promise<Loaded> {
  const relPath = relative(base, absPath).split(sep).join('/');
  const skip = skipReason(relPath);
  if (skip) return { relPath, absPath, skip };
  const bytes = await readFile(absPath);
  const version = createHash('sha256').update(bytes).digest('hex');
  if (isInLedger(ctx.store, sourceId, relPath, version)) return { relPath, absPath, skip: 'done' };
  try {
    return { relPath, absPath, bytes, version, content: await decodeObject(bytes, relPath) };
  } catch (err) {
    if (err instanceof BadInputError) return { relPath, absPath, bytes, version, error: err };
    throw err;
  }
}

async function importFile(ctx: SourceContext, batcher: Batcher, f: Loaded, handlers: FileHandler[]) {
  if (f.skip || !f.bytes || !f.version) return;
  const quarantine = (err: BadInputError) =>
    batcher.add({
      quarantine: [{ itemKey: f.relPath, reason: err.reason, detail: err.message }],
      ledger: [{ itemKey: f.relPath, version: f.version!, outcome: 'quarantined', records: 0 }],
    });
  if (f.error) {
    // A corrupt or empty file that no handler would ever want (e.g. a stray `.DS_Store.gz`) is
    // still quarantined: the operator asked us to import this folder and should hear about it.
    quarantine(f.error);
    return;
  }
  const content = f.content!;
  const head = content.subarray(0, HEAD_BYTES).toString('utf8');
  const handler = handlers.find((h) => h.accepts(f.relPath, head));
  if (!handler) return;
  const file: LocalFile = {
    relPath: f.relPath,
    absPath: f.absPath,
    bytes: f.bytes,
    content,
    version: f.version,
  };
  try {
    const out = await handler.read(file);
    ctx.counters.recordsSeen += out.records;
    batcher.add({
      ...out.evidence,
      ledger: [{ itemKey: f.relPath, version: f.version, outcome: 'done', records: out.records }],
    });
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
    quarantine(err);
  }
}

/** Not evidence files: integrity digests (validated elsewhere), S3 write probes, OS litter. */
function skipReason(relPath: string): string | undefined {
  if (relPath.includes('CloudTrail-Digest/')) return 'digest';
  const name = basename(relPath);
  if (name === 'ConfigWritabilityCheckFile') return 'writability_check';
  if (name.startsWith('.')) return 'hidden';
  return undefined;
}

/** Every regular file under root (or root itself when it is a file), in a stable (sorted) order. */
async function walk(root: string): Promise<{ base: string; files: string[] }> {
  if ((await stat(root)).isFile()) return { base: dirname(root), files: [root] };
  const out: string[] = [];
  const visit = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await visit(path);
      else if (e.isFile()) out.push(path);
    }
  };
  await visit(root);
  return { base: root, files: out };
}
