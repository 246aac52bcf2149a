/**
 * `npm run bench -- extract [--mb N]`: command extraction accuracy and speed.
 * 1. Exact match rate over test/fixtures/sessions, per issue-10 class and per form (S3 and
 *    CloudWatch), with the shares marked lossy and uncertain (bench/extract-accuracy.ts).
 * 2. Throughput over a >= 200 MB corpus of realistic transcripts (fixture bodies concatenated and
 *    varied, generated once into bench/corpus/), next to the floor measured in the same run: the
 *    same bytes written through a bare @xterm/headless Terminal, both through its public async
 *    write() and through the synchronous core parse extraction uses (the stricter floor: it shows
 *    only the cost of our hooks). Target: >= 50% of the floor.
 */
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import { extractFromBytes } from '../src/terminal/index.ts';
import { writeNow } from '../src/terminal/screen.ts';
import { printAccuracy } from './extract-accuracy.ts';

const here = dirname(fileURLToPath(import.meta.url));
const sessionsDir = join(here, '..', 'test', 'fixtures', 'sessions');
const corpusDir = join(here, 'corpus');
const FILE_BYTES = 10 * 1024 * 1024;

/** Builds bench/corpus/*.bin from fixture bodies until `targetBytes` exist (kept between runs). */
function ensureCorpus(targetBytes: number): string[] {
  mkdirSync(corpusDir, { recursive: true });
  const bodies = existsSync(sessionsDir)
    ? readdirSync(sessionsDir)
        .map((d) => join(sessionsDir, d, 'raw.bin'))
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f))
    : [];
  if (bodies.length === 0) throw new Error('no fixture sessions to build the corpus from');
  const files: string[] = [];
  let have = 0;
  for (let i = 0; have < targetBytes; i++) {
    const file = join(corpusDir, `transcript-${String(i).padStart(3, '0')}.bin`);
    if (!existsSync(file) || statSync(file).size < FILE_BYTES) {
      const parts: Buffer[] = [];
      let size = 0;
      for (let n = 0; size < FILE_BYTES; n++) {
        // Vary each repetition a little so no two sessions are byte-identical.
        const body = bodies[(i + n) % bodies.length]!;
        const marker = Buffer.from(`$ echo run ${i}-${n}\r\nrun ${i}-${n}\r\n`);
        parts.push(marker, body);
        size += marker.length + body.length;
      }
      writeFileSync(file, Buffer.concat(parts));
    }
    files.push(file);
    have += statSync(file).size;
  }
  return files;
}

/**
 * The floor: the same bytes through a bare Terminal, via the public asynchronous write() (what an
 * integrator would call) or via the core's synchronous parse that extraction itself uses (the
 * stricter floor: no scheduling between chunks, so only our hooks make the difference).
 */
async function floorPass(files: string[], sync: boolean): Promise<number> {
  const started = performance.now();
  for (const file of files) {
    const term = new xterm.Terminal({
      cols: 80,
      rows: 50,
      scrollback: 1000,
      allowProposedApi: true,
      logLevel: 'off',
    });
    for await (const chunk of createReadStream(file)) {
      if (sync) writeNow(term, chunk as Buffer);
      else await new Promise<void>((resolve) => term.write(chunk as Buffer, resolve));
    }
    term.dispose();
  }
  return performance.now() - started;
}

async function extractPass(files: string[]): Promise<{ ms: number; commands: number }> {
  const started = performance.now();
  let commands = 0;
  for (const file of files) {
    const result = await extractFromBytes(createReadStream(file) as AsyncIterable<Buffer>);
    commands += result.commands.length;
  }
  return { ms: performance.now() - started, commands };
}

export default async function (args: string[]): Promise<void> {
  const mbFlag = args.indexOf('--mb');
  const targetMb = mbFlag >= 0 ? Number(args[mbFlag + 1]) : 200;
  await printAccuracy(sessionsDir);
  const files = ensureCorpus(targetMb * 1024 * 1024);
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const mb = bytes / 1024 / 1024;
  console.log(`\nthroughput over ${files.length} transcripts, ${mb.toFixed(0)} MB (bench/corpus/)`);
  const floorAsync = await floorPass(files, false);
  const floorSync = await floorPass(files, true);
  const ours = await extractPass(files);
  const rate = (ms: number) => mb / (ms / 1000);
  const ourRate = rate(ours.ms);
  console.log(`  floor, public write():       ${rate(floorAsync).toFixed(1)} MB/s`);
  console.log(`  floor, core writeSync():     ${rate(floorSync).toFixed(1)} MB/s`);
  console.log(`  extractFromBytes:            ${ourRate.toFixed(1)} MB/s (${ours.commands} commands)`);
  const ratio = (ms: number) => ((100 * ourRate) / rate(ms)).toFixed(0);
  console.log(
    `  ratio: ${ratio(floorAsync)}% of the public-write floor, ${ratio(floorSync)}% of the writeSync floor (target >= 50%)`,
  );
  console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
