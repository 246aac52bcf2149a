/**
 * `npm run bench -- cast [MB]`: replays a generated S3 transcript (default 100 MB, 2,000 commands)
 * as an asciicast through the store, and prints throughput and peak heap beside the raw read of
 * the same chunks (the floor: decompression and decoding only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { sessionCast } from '../src/analyze/cast.ts';
import { compressChunk } from '../src/store/chunks.ts';
import { openStore } from '../src/store/index.ts';
import { projectionSettings } from '../src/store/projection.ts';

const SESSION = 'bench-0123456789abcdef0';

export default async function castBench(args: string[]): Promise<void> {
  const megabytes = Number(args[0] ?? 100);
  const dir = mkdtempSync(join(tmpdir(), 'shelltrail-cast-bench-'));
  try {
    const db = join(dir, 'cast.db');
    const size = await writeTranscript(db, megabytes);
    const store = await openStore(db, { readonly: true });
    try {
      const [transcript] = await store.transcripts.list(SESSION);
      let t = performance.now();
      const decoder = new StringDecoder('utf8');
      let chars = 0;
      for await (const chunk of store.transcripts.readChunks(transcript!.transcriptId))
        chars += decoder.write(chunk).length;
      const readSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      let out = 0;
      let n = 0;
      for await (const line of sessionCast(store, SESSION)) {
        out += line.length;
        if (++n % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
      const castSeconds = (performance.now() - t) / 1000;
      const mb = size / 1e6;
      console.log(
        `transcript ${mb.toFixed(0)} MB (${chars} chars), cast ${(out / 1e6).toFixed(0)} MB in ${n} lines`,
      );
      console.log(`read + decode only: ${readSeconds.toFixed(1)} s (${(mb / readSeconds).toFixed(0)} MB/s)`);
      console.log(
        `cast:               ${castSeconds.toFixed(1)} s (${(mb / castSeconds).toFixed(0)} MB/s), peak heap +${(peak / 1e6).toFixed(0)} MB`,
      );
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writeTranscript(db: string, megabytes: number): Promise<number> {
  const settings = projectionSettings({
    maxDurationHours: 24,
    missingGraceMinutes: 60,
    expectedDestinations: [],
  });
  const store = await openStore(db);
  const lease = await store.lease.acquire('cast bench');
  const commands = Array.from({ length: 2000 }, (_, i) => `cat /var/log/file-${i}.log`);
  const output = 'Nov 24 08:15:03 host app[123]: a log line with some words in it\r\n'.repeat(200);
  let seq = 0;
  let total = 0;
  let piece = '';
  for (let i = 0; total < megabytes * 1024 * 1024; i++) {
    piece += `$ ${commands[i % commands.length]}\r\n${output}`;
    if (piece.length < 1024 * 1024 - 20_000) continue;
    const raw = Buffer.from(piece);
    await store.evidence.writeBatch(
      {
        sourceId: 'bench',
        transcriptChunks: [
          { transcriptId: `file://${SESSION}`, seq: seq++, rawSize: raw.length, data: compressChunk(raw) },
        ],
      },
      settings,
    );
    total += raw.length;
    piece = '';
  }
  await store.evidence.writeBatch(
    {
      sourceId: 'bench',
      transcripts: [
        {
          transcriptId: `file://${SESSION}`,
          sessionId: SESSION,
          source: 's3',
          location: `/tmp/${SESSION}.log`,
          etag: null,
          versionId: null,
          sha256: null,
          byteSize: total,
          format: 'raw',
          headerTime: null,
          lastModified: 1_764_000_000_000,
          firstEventAt: null,
          lastEventAt: null,
          claimedTarget: 'i-0123456789abcdef0',
          claimedPrincipalArn: null,
          claimedRunAsUser: null,
          claimedSessionId: SESSION,
        },
      ],
    },
    settings,
  );
  await store.extractQueue.complete(SESSION, {
    commands: commands.map((text, i) => ({
      seq: i,
      text,
      user: 'ssm-user',
      executed: true,
      at: null,
      atPrecision: null,
      cwd: null,
      exitCode: null,
      fidelity: 'exact' as const,
      output: null,
    })),
    cols: null,
    colsSource: null,
    extractorVersion: 1,
  });
  await lease.release();
  await store.close();
  return total;
}
