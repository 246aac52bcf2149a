/**
 * Builds (once) the transcript import corpus under bench/corpus/transcripts/: a copy of a
 * session-log bucket with >= 2,000 `<sessionId>.log` objects made from the real-shell fixture
 * bodies (test/fixtures/sessions/), each re-headed with its own session id and target, in mixed
 * sizes (mostly small, some of a few MB, a few of 50 MB). The 50 MB logs sit next to each other (one
 * folder, adjacent names), so the import meets them back to back, the hardest case for its memory.
 * Deterministic (seeded).
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ScriptBodyStream } from '../../src/ingest/normalize/transcript.ts';
import { seededRng } from './random.ts';

const CORPUS_VERSION = 2;
const FIXTURES = join(import.meta.dirname, '../../test/fixtures/sessions');

export interface TranscriptCorpus {
  dir: string;
  files: number;
  bytes: number;
}

export async function ensureTranscriptCorpus(
  root: string,
  options: { files?: number; bigFiles?: number; bigBytes?: number } = {},
): Promise<TranscriptCorpus> {
  const files = options.files ?? 2_000;
  const bigFiles = options.bigFiles ?? 3;
  const bigBytes = options.bigBytes ?? 50 << 20;
  const key = JSON.stringify({ v: CORPUS_VERSION, files, bigFiles, bigBytes });
  const manifest = join(root, 'manifest.json');
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as TranscriptCorpus & { key: string };
    if (m.key === key) return m;
  }
  rmSync(root, { recursive: true, force: true });
  const dir = join(root, 'bucket');
  const bodies = await fixtureBodies();
  const rng = seededRng(20261128);
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const body = bodies[i % bodies.length]!;
    // The last `bigFiles` logs are the big ones: `big<n>-...` names in one folder sort side by side.
    const big = i >= files - bigFiles;
    const prefix = big ? `big${i - (files - bigFiles)}` : `bench${i}`;
    const sessionId = `${prefix}-${rng.int(0, 0xfffffff).toString(16).padStart(7, '0')}${i.toString(16).padStart(10, '0')}`;
    const target = `i-0${rng.int(0, 0xffffffff).toString(16).padStart(16, '0')}`;
    const roll = rng.next();
    const want = big
      ? bigBytes
      : roll < 0.8
        ? body.length
        : roll < 0.97
          ? rng.int(20_000, 400_000)
          : rng.int(1 << 20, 6 << 20);
    const day = big ? 14 : 1 + (i % 28);
    const subdir = join(dir, 'ssm', `2026/11/${String(day).padStart(2, '0')}`);
    mkdirSync(subdir, { recursive: true });
    bytes += writeLog(join(subdir, `${sessionId}.log`), sessionId, target, body, want);
  }
  const info = { dir, files, bytes };
  writeFileSync(manifest, JSON.stringify({ ...info, key }, null, 2));
  return info;
}

/** The terminal bytes of every fixture, header and footer removed. */
async function fixtureBodies(): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const name of readdirSync(FIXTURES).sort()) {
    const metaPath = join(FIXTURES, name, 'meta.json');
    if (!existsSync(metaPath)) continue;
    const { sessionId } = JSON.parse(readFileSync(metaPath, 'utf8')) as { sessionId: string };
    const parts: Buffer[] = [];
    for await (const b of new ScriptBodyStream(
      (async function* () {
        yield readFileSync(join(FIXTURES, name, `${sessionId}.log`));
      })(),
    ))
      parts.push(b);
    out.push(Buffer.concat(parts));
  }
  if (out.length === 0) throw new Error('no fixtures in test/fixtures/sessions');
  return out;
}

/** Writes header + the body repeated up to `want` bytes + footer; returns the file size. */
function writeLog(path: string, sessionId: string, target: string, body: Buffer, want: number): number {
  const header = Buffer.from(
    `Script started on 2026-11-28 10:44:41+00:00 [COMMAND="cat /var/lib/amazon/ssm/${target}/session/orchestration/${sessionId}/Standard_Stream/ipcTempFile.log" <not executed on terminal>]\n`,
  );
  const footer = Buffer.from('\nScript done on 2026-11-28 10:44:41+00:00 [COMMAND_EXIT_CODE="0"]\n');
  const fd = openSync(path, 'w');
  let size = writeSync(fd, header);
  let written = 0;
  const block = Buffer.concat(
    Array.from({ length: Math.max(1, Math.floor((1 << 20) / body.length)) }, () => body),
  );
  do {
    const piece = want - written >= block.length ? block : body;
    size += writeSync(fd, piece);
    written += piece.length;
  } while (written < want);
  size += writeSync(fd, footer);
  closeSync(fd);
  return size;
}
