import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLine } from '../../src/analyze/cast/command-queue.ts';
import { sessionCast } from '../../src/analyze/cast.ts';
import { compressChunk } from '../../src/store/chunks.ts';
import { openStore, type Store, type StoredCommand } from '../../src/store/index.ts';
import { runCli } from '../cli/cli-io.ts';
import { settings, tempDir, writeStore } from '../cli/store-setup.ts';
import { FIXTURES_DIR, fixtureNames } from '../ingest/transcript-fixtures.ts';
import { putCommands } from '../store/helpers.ts';

type CastEvent = [number, string, string];

async function castOf(store: Store, sessionId: string) {
  const lines: string[] = [];
  for await (const line of sessionCast(store, sessionId)) lines.push(line);
  expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  const [header, ...events] = lines.map((l) => JSON.parse(l));
  return { header, events: events as CastEvent[] };
}

async function allCommands(store: Store, sessionId: string): Promise<StoredCommand[]> {
  return (await store.commands.listForSession(sessionId)).items;
}

/** Imports fixtures' S3 and/or CloudWatch forms into one store (one folder per form). */
async function importFixtures(db: string, root: string, names: string[], forms: Array<'s3' | 'cw'>) {
  const dir = join(root, forms.join('-'));
  mkdirSync(dir, { recursive: true });
  const ids: Record<string, string> = {};
  for (const name of names) {
    const meta = JSON.parse(readFileSync(join(FIXTURES_DIR, name, 'meta.json'), 'utf8'));
    ids[name] = meta.sessionId;
    if (forms.includes('s3'))
      copyFileSync(join(FIXTURES_DIR, name, `${meta.sessionId}.log`), join(dir, `${meta.sessionId}.log`));
    if (forms.includes('cw'))
      copyFileSync(join(FIXTURES_DIR, name, 'cloudwatch.json'), join(dir, `${meta.sessionId}.cw.json`));
  }
  const r = await runCli(['import', dir, '--db', db, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return ids;
}

/** Markers whose command line was already on screen (the output before them ends with it). */
function placedOnTheirLine(events: CastEvent[]): { placed: number; markers: number } {
  let screen = '';
  let placed = 0;
  let markers = 0;
  for (const [, code, data] of events) {
    if (code === 'o') screen = (screen + data).slice(-4096);
    else if (code === 'm') {
      markers++;
      const lastLine = screen.slice(screen.lastIndexOf('\n') + 1);
      if (lastLine.includes(firstLine(data))) placed++;
    }
  }
  return { placed, markers };
}

const work = tempDir('shelltrail-cast-');
afterAll(() => work.remove());

describe('sessionCast over the recorded fixtures', () => {
  const names = fixtureNames();
  const stores: Record<string, { store: Store; ids: Record<string, string> }> = {};
  beforeAll(async () => {
    for (const forms of [['s3'], ['cw'], ['s3', 'cw']] as Array<Array<'s3' | 'cw'>>) {
      const db = join(work.path, `${forms.join('-')}.db`);
      const ids = await importFixtures(db, work.path, names, forms);
      stores[forms.join('-')] = { store: await openStore(db, { readonly: true }), ids };
    }
  }, 240_000);
  afterAll(async () => {
    for (const { store } of Object.values(stores)) await store.close();
  });

  it.each([
    ['s3', 'timing:synthetic'],
    ['cw', 'timing:cloudwatch-1s'],
    ['s3-cw', 'timing:cloudwatch-1s'],
  ])('%s: one marker per command, in seq order, labelled with its text; tagged %s', async (form, tag) => {
    const { store, ids } = stores[form]!;
    let placed = 0;
    let markers = 0;
    for (const name of names) {
      const commands = await allCommands(store, ids[name]!);
      const { header, events } = await castOf(store, ids[name]!);
      expect(header).toMatchObject({ version: 3, tags: [tag], term: { rows: 24 } });
      expect(header.term.cols).toBeGreaterThan(0);
      expect(header.idle_time_limit).toBeGreaterThan(0);
      expect(
        events.filter((e) => e[1] === 'm').map((e) => e[2]),
        name,
      ).toEqual(commands.map((c) => c.text));
      expect(events.every(([interval, code]) => interval >= 0 && (code === 'o' || code === 'm'))).toBe(true);
      expect(events.some((e) => e[1] === 'o')).toBe(true);
      const counts = placedOnTheirLine(events);
      placed += counts.placed;
      markers += counts.markers;
    }
    console.log(`${form}: ${placed}/${markers} markers on their line`);
    expect(markers).toBeGreaterThan(names.length);
    // Most markers sit right after the line their command was typed on (the rest are kept in order).
    expect(placed / markers).toBeGreaterThan(0.8);
  });

  it('replays aborted commands too, and paces an S3-only session plausibly', async () => {
    const { store, ids } = stores.s3!;
    const id = ids['dash-basic']!;
    const commands = await allCommands(store, id);
    expect(commands.some((c) => c.executed === false)).toBe(true);
    const { events } = await castOf(store, id);
    const duration = events.reduce((sum, e) => sum + e[0], 0);
    // Seconds, not milliseconds and not hours: a few seconds of thinking and typing per command.
    expect(duration).toBeGreaterThan(commands.length * 0.5);
    expect(duration).toBeLessThan(commands.length * 10);
    // Typing is animated: the first command arrives in several pieces before its marker.
    const firstMarker = events.findIndex((e) => e[1] === 'm');
    const typed = events.slice(0, firstMarker).filter((e) => commands[0]!.text.includes(e[2]));
    expect(typed.length).toBeGreaterThan(1);
  });

  it('places CloudWatch output at its event times', async () => {
    const { store, ids } = stores.cw!;
    const id = ids['dash-basic']!;
    const cw = JSON.parse(
      readFileSync(join(FIXTURES_DIR, 'dash-basic', 'cloudwatch.json'), 'utf8'),
    ) as Array<{
      timestamp: number;
    }>;
    const { events } = await castOf(store, id);
    const duration = events.reduce((sum, e) => sum + e[0], 0);
    const span = (cw.at(-1)!.timestamp - cw[0]!.timestamp) / 1000;
    expect(duration).toBeGreaterThanOrEqual(span - 0.001);
    expect(duration).toBeLessThan(span + 10);
  });

  it('yields nothing for an unknown session', async () => {
    const lines: string[] = [];
    for await (const line of sessionCast(stores.s3!.store, 'no-such-session')) lines.push(line);
    expect(lines).toEqual([]);
  });
});

/** Writes a raw transcript through the store interface, one chunk per batch, and its commands. */
async function storeTranscript(db: string, sessionId: string, chunks: Iterable<Buffer>, commands: string[]) {
  await writeStore(db, async (store) => {
    let seq = 0;
    let size = 0;
    for (const raw of chunks) {
      await store.evidence.writeBatch(
        {
          sourceId: 'test',
          transcriptChunks: [
            {
              transcriptId: `file://${sessionId}`,
              seq: seq++,
              rawSize: raw.length,
              data: compressChunk(raw),
            },
          ],
        },
        settings,
      );
      size += raw.length;
    }
    await store.evidence.writeBatch(
      {
        sourceId: 'test',
        transcripts: [
          {
            transcriptId: `file://${sessionId}`,
            sessionId,
            source: 's3',
            location: `/tmp/${sessionId}.log`,
            etag: null,
            versionId: null,
            sha256: null,
            byteSize: size,
            format: 'raw',
            headerTime: null,
            lastModified: 1_764_000_000_000,
            firstEventAt: null,
            lastEventAt: null,
            claimedTarget: 'i-0123456789abcdef0',
            claimedPrincipalArn: null,
            claimedRunAsUser: null,
            claimedSessionId: sessionId,
          },
        ],
      },
      settings,
    );
    await putCommands(
      store,
      sessionId,
      commands.map((text, seq) => ({
        seq,
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
    );
  });
}

describe('sessionCast on hostile and large transcripts', () => {
  it('drops OSC 8 links, OSC 52 clipboard writes and C1 controls, clamps huge counts, splits 1 MB lines', async () => {
    const db = join(work.path, 'hostile.db');
    const hostile = Buffer.from(
      [
        '$ echo hi\r\n',
        'hi \x1b]8;;javascript:alert(1)\x07click\x1b]8;;\x07 \x1b]52;c;cm0gLXJmIC8=\x07done\x1b[999999999@\r\n',
        `\u009b31mC1\r\n$ ${'A'.repeat(1024 * 1024)}\r\n`,
        '$ <script>alert(1)</script>\r\n',
      ].join(''),
    );
    await storeTranscript(
      db,
      'mallory-0123456789abcdef0',
      [hostile],
      ['echo hi', '<script>alert(1)</script>'],
    );
    const store = await openStore(db, { readonly: true });
    try {
      const { events } = await castOf(store, 'mallory-0123456789abcdef0');
      const output = events
        .filter((e) => e[1] === 'o')
        .map((e) => e[2])
        .join('');
      expect(output).toContain('click');
      expect(output).not.toContain('javascript:');
      expect(output).not.toContain('\x1b]');
      expect(output).not.toContain('cm0gLXJmIC8=');
      expect(output).not.toContain('\u009b');
      expect(output).toContain('\x1b[9999@');
      expect(Math.max(...events.map((e) => e[2].length))).toBeLessThanOrEqual(64 * 1024 + 1024 * 1024);
      expect(events.filter((e) => e[1] === 'm').map((e) => e[2])).toEqual([
        'echo hi',
        '<script>alert(1)</script>',
      ]);
    } finally {
      await store.close();
    }
  });

  it('streams a 100 MB transcript with bounded heap', async () => {
    const db = join(work.path, 'large.db');
    const commands = Array.from({ length: 2000 }, (_, i) => `cat /var/log/file-${i}.log`);
    const output = `${'2026-11-24T08:15:03Z host app[123]: a log line with some words in it\r\n'.repeat(200)}`;
    function* chunks(): Generator<Buffer> {
      let piece = '';
      let total = 0;
      for (let i = 0; total < 100 * 1024 * 1024; i++) {
        piece += `$ ${commands[i % commands.length]}\r\n${output}`;
        if (piece.length >= 1024 * 1024 - 20_000) {
          total += piece.length;
          yield Buffer.from(piece);
          piece = '';
        }
      }
    }
    await storeTranscript(db, 'bulk-0123456789abcdef0', chunks(), commands);
    const store = await openStore(db, { readonly: true });
    try {
      const started = performance.now();
      const baseline = process.memoryUsage().heapUsed;
      let peak = 0;
      let bytes = 0;
      let markers = 0;
      let n = 0;
      for await (const line of sessionCast(store, 'bulk-0123456789abcdef0')) {
        bytes += line.length;
        if (line.includes('"m"')) markers++;
        if (++n % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
      expect(bytes).toBeGreaterThan(100 * 1024 * 1024);
      expect(markers).toBe(commands.length);
      console.log(
        `100 MB cast: ${(bytes / 1e6).toFixed(0)} MB of JSON, peak heap +${(peak / 1e6).toFixed(1)} MB, ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(peak).toBeLessThan(96 * 1024 * 1024);
    } finally {
      await store.close();
    }
  }, 300_000);
});
