/**
 * Builds (once) the search benchmark corpus under bench/corpus/: a shelltrail store with 10,000
 * sessions and 1,000,000 commands, and the same activity as one `script`-style transcript file per
 * session for ripgrep. Deterministic (seeded); regenerated only when CORPUS_VERSION changes.
 *
 * A SQLite-specific bulk loader (bench set-up): it opens the store through the interface, so the
 * schema is migrated exactly as in production, then writes through the dialect's raw connection
 * (`connOf`) with triggers and secondary indexes dropped, which the interface deliberately cannot do.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { CommandIdAllocator } from '../../src/store/sqlite/command-ids.ts';
import { connOf } from '../../src/store/sqlite/store.ts';
import { type Rng, seededRng } from './random.ts';
import { pickTemplate, planted } from './vocab.ts';

// 11: the layout of migrations 0007-0009 (commands rebuilt with a nullable `executed`, new session
// columns); a version 10 corpus has the old layout and is opened read-only, so it is never migrated.
// 13: command_texts (migration 0012) filled after the load; version 12 corpora left it empty, since
// its counting triggers were dropped with the others, and every exact count of 3+ characters read 0.
const CORPUS_VERSION = 13;

export interface CorpusInfo {
  dbPath: string;
  transcriptsDir: string;
  sessions: number;
  commands: number;
  dbBytes: number;
  transcriptBytes: number;
  buildMs: number;
}

export interface CorpusOptions {
  sessions?: number;
  commands?: number;
}

const accounts = ['111122223333', '444455556666', '777788889999', '123456789012', '210987654321'];
const regions = ['us-east-1', 'eu-west-1', 'ap-northeast-1', 'us-west-2'];
const firstNames = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'oscar',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'yuki',
  'zoe',
];

const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');

/**
 * The corpus at `root`, built when missing or of another version. It is built in a directory of
 * its own and renamed into place when complete, so two processes wanting it at once (the search
 * and api benches, two engineers) never delete each other's half-written files: the first rename
 * wins and the other builder uses that corpus.
 */
export async function ensureCorpus(root: string, options: CorpusOptions = {}): Promise<CorpusInfo> {
  const sessions = options.sessions ?? 10_000;
  const commands = options.commands ?? 1_000_000;
  const key = { version: CORPUS_VERSION, sessions, commands };
  const ready = readManifest(root, key);
  if (ready) return ready;
  const building = `${root}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  try {
    const built = await buildCorpus(building, sessions, commands);
    const winner = readManifest(root, key);
    if (winner) return winner;
    rmSync(root, { recursive: true, force: true });
    try {
      renameSync(building, root);
    } catch (err) {
      // Another builder renamed its corpus into place between the check and here: use it.
      const late = readManifest(root, key);
      if (late) return late;
      throw err;
    }
    const info = { ...built, dbPath: join(root, 'search.db'), transcriptsDir: join(root, 'transcripts') };
    writeFileSync(join(root, 'manifest.json'), JSON.stringify({ ...info, key }, null, 2));
    return info;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

function readManifest(root: string, key: object): CorpusInfo | undefined {
  const manifestPath = join(root, 'manifest.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as CorpusInfo & { key: object };
  return JSON.stringify(manifest.key) === JSON.stringify(key) ? manifest : undefined;
}

function sessionSizes(rng: Rng, sessions: number, commands: number): number[] {
  const mean = commands / sessions;
  const sizes = Array.from({ length: sessions }, () =>
    Math.max(1, Math.round(mean * (0.2 + 1.6 * rng.next()))),
  );
  let diff = commands - sizes.reduce((a, b) => a + b, 0);
  while (diff !== 0) {
    const i = rng.int(0, sessions - 1);
    const step = diff > 0 ? 1 : -1;
    if (sizes[i]! + step < 1) continue;
    sizes[i]! += step;
    diff -= step;
  }
  return sizes;
}

async function buildCorpus(root: string, sessionCount: number, commandCount: number): Promise<CorpusInfo> {
  const started = performance.now();
  const rng = seededRng(20250301);
  const transcriptsDir = join(root, 'transcripts');
  mkdirSync(transcriptsDir, { recursive: true });
  const dbPath = join(root, 'search.db');
  const store = await openStore(dbPath);
  const { sqlite } = connOf(store);
  // Bulk load without the FTS triggers, then rebuild both indexes in one pass (much faster). The gram
  // index is contentless (no rebuild from the table), so its trigger stays and fills it as rows land.
  const triggers = sqlite
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'commands' AND name NOT LIKE 'commands_fts_grams%'",
    )
    .all() as { name: string; sql: string }[];
  for (const t of triggers) sqlite.exec(`DROP TRIGGER ${t.name}`);
  // Secondary indexes too: building them once after the load beats a million random inserts.
  const indexes = sqlite
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'commands' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
    )
    .all() as { name: string; sql: string }[];
  for (const i of indexes) sqlite.exec(`DROP INDEX ${i.name}`);

  const plantedAt = new Map<number, (typeof planted)[number]>();
  for (const p of planted) {
    for (let n = 0; n < p.count; ) {
      const at = rng.int(0, commandCount - 1);
      if (!plantedAt.has(at)) {
        plantedAt.set(at, p);
        n++;
      }
    }
  }
  const actors = Array.from(
    { length: 150 },
    (_, i) =>
      `${firstNames[i % firstNames.length]}.${['ops', 'dev', 'sre', 'sec', 'data', 'web', 'db', 'net'][i % 8]}${i}@example.com`,
  );
  const targets = Array.from({ length: 1500 }, () => `i-0${hex(rng, 16)}`);
  const insertSession = sqlite.prepare(
    `INSERT INTO sessions (session_id, kind, account_id, region, target, principal_arn, principal_type, actor,
       document_name, started_at, start_source, ended_at, end_source, identity_verified, coverage, transcript_sources)
     VALUES (?, ?, ?, ?, ?, ?, 'AssumedRole', ?, 'SSM-SessionManagerRunShell', ?, 'cloudtrail', ?, 'terminate', 1, 'complete', '["s3"]')`,
  );
  const insertCommand = sqlite.prepare(
    `INSERT INTO commands (id, session_id, seq, text, user, executed, at, at_precision, cwd, exit_code, fidelity, output)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'second', ?, ?, 'exact', ?)`,
  );
  // The same time-ordered ids as extraction stores (src/store/command-ids.ts, the dialect's allocator).
  const commandIds = new CommandIdAllocator(sqlite);
  const sizes = sessionSizes(rng, sessionCount, commandCount);
  const yearStart = Date.UTC(2025, 0, 1);
  let globalIndex = 0;
  let transcriptBytes = 0;
  sqlite.transaction(() => {
    for (let s = 0; s < sessionCount; s++) {
      // Skewed actor choice: a few people open most sessions.
      const actor = actors[Math.floor(actors.length * rng.next() ** 2)]!;
      const account = rng.pick(accounts);
      const sessionId = `${actor.split('@')[0]}-${hex(rng, 17)}`;
      const target = targets[Math.floor(targets.length * rng.next() ** 1.5)]!;
      const host = `ip-10-0-${rng.int(0, 9)}-${rng.int(1, 254)}`;
      let at = yearStart + Math.floor(rng.next() * 364 * 86400e3);
      const startedAt = at - 5000;
      let user = rng.chance(0.5) ? 'ssm-user' : 'ec2-user';
      const home = `/home/${user}`;
      let cwd = home;
      const lines: string[] = [
        `Script started on ${new Date(startedAt).toISOString()} [TERM="xterm-256color"]`,
      ];
      for (let seq = 0; seq < sizes[s]!; seq++, globalIndex++) {
        const plant = plantedAt.get(globalIndex);
        let text: string;
        let output: string;
        let exitCode: number | null = 0;
        let nextCwd: string | undefined;
        if (plant) ({ text, output } = plant);
        else if (seq === 0 && rng.chance(0.3)) [text, output] = ['sudo su -', ''];
        else {
          const c = pickTemplate(rng)(rng, cwd);
          ({ text, output, exitCode } = c);
          nextCwd = c.cd;
          if (rng.chance(0.03)) [output, exitCode] = [`${text.split(' ')[0]}: error`, 1];
        }
        const executed = !rng.chance(0.02);
        const prompt = `[${user}@${host} ${cwd === home ? '~' : cwd}]${user === 'root' ? '#' : '$'} `;
        lines.push(executed ? `${prompt}${text}` : `${prompt}${text}^C`);
        if (executed && output) lines.push(output);
        const stored = commandIds.next(at);
        insertCommand.run(
          stored.id,
          sessionId,
          seq,
          text,
          user,
          executed ? 1 : 0,
          stored.at,
          cwd,
          executed ? exitCode : null,
          executed ? output || null : null,
        );
        if (executed && text === 'sudo su -') [user, cwd] = ['root', '/root'];
        else if (executed && nextCwd) cwd = nextCwd;
        at += 1000 * rng.int(2, 120);
      }
      const kind = rng.chance(0.95) ? 'shell' : 'interactive_command';
      const principal = `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_${rng.chance(0.7) ? 'Admin' : 'ReadOnly'}_0a1b2c3d/${actor}`;
      insertSession.run(sessionId, kind, account, rng.pick(regions), target, principal, actor, startedAt, at);
      const body = `${lines.join('\n')}\n`;
      transcriptBytes += Buffer.byteLength(body);
      writeFileSync(join(transcriptsDir, `${sessionId}.log`), body);
    }
  })();
  sqlite.exec("INSERT INTO commands_fts(commands_fts) VALUES('rebuild')");
  sqlite.exec("INSERT INTO commands_words(commands_words) VALUES('rebuild')");
  sqlite.exec("INSERT INTO commands_fts_grams(commands_fts_grams) VALUES('optimize')");
  for (const t of triggers) sqlite.exec(t.sql);
  // The distinct texts and their counts (migration 0012), which the dropped command_texts_ai trigger
  // would have kept; its own trigram index fills through command_texts_fts_ai as rows land.
  sqlite.exec(
    'INSERT INTO command_texts(text, commands) SELECT text, count(*) FROM commands WHERE true GROUP BY text ORDER BY text',
  );
  const counted = sqlite.prepare('SELECT coalesce(sum(commands), 0) FROM command_texts').pluck().get();
  if (counted !== commandCount)
    throw new Error(`corpus: command_texts counts ${counted} commands, the load wrote ${commandCount}`);
  for (const i of indexes) sqlite.exec(i.sql);
  sqlite.exec('ANALYZE');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
  return {
    dbPath,
    transcriptsDir,
    sessions: sessionCount,
    commands: commandCount,
    dbBytes: statSync(dbPath).size,
    transcriptBytes,
    buildMs: Math.round(performance.now() - started),
  };
}
