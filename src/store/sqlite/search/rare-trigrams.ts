/**
 * Phrase search on the trigram index through its rarest trigrams. FTS5 answers a phrase by reading
 * the doclist and positions of every trigram in it, so `rm -rf /tmp` (nine trigrams, four of them
 * in 25,000+ commands) costs 2-3 ms although only 1,500 commands match. Intersecting just the two
 * rarest trigrams (no positions) finds nearly the same rows for a tenth of that; each candidate is
 * then checked against the exact match rule, so the answer is exactly the matching commands.
 *
 * FTS5 cannot tell a doclist's size without reading it (about 50 us a term on an unmerged index),
 * so rarity comes from a sample: trigram document counts over SAMPLE_SIZE commands, in short runs
 * spread evenly over the table, taken once per connection (about 12 ms on the bench corpus) and again
 * whenever the table has doubled. A wrong guess costs speed only: a trigram estimated too common
 * keeps the phrase query, and too many candidates fall back to it.
 */
import type Database from 'better-sqlite3';
import { foldCase, isAscii } from '../../fold.ts';
import { commandCount } from './command-count.ts';
import { ftsPhrase, prepared, textCondition, whereClause } from './filters.ts';

const SAMPLE_SIZE = 4_000;
/** Consecutive commands read together (see trigramSample). */
const SAMPLE_RUN = 40;
/** Only the start of each sampled text counts: bounded work on attacker-controlled lengths. */
const SAMPLED_CHARS = 256;
/** Distinct trigrams kept at most; later ones count as never seen (i.e. rare). */
const MAX_SAMPLED_TRIGRAMS = 200_000;
/** Trigrams intersected: two cut the candidates close to the phrase's matches in practice. */
const RARE_TERMS = 2;
/**
 * Candidates are checked at about 0.6 us each; beyond this many, the phrase query (which needs no
 * check) is no slower, so the rare-trigram path gives up.
 */
const CANDIDATE_CAP = 3_000;
/** Below this many estimated candidates the check is cheaper than any phrase query. */
const FEW_CANDIDATES = 300;
/** From this many trigrams a phrase reads enough doclists to repay checking many candidates. */
const LONG_PHRASE_TRIGRAMS = 5;

interface TrigramSample {
  /** Commands in the table when sampled: a table twice as large is sampled again. */
  commands: number;
  /** Commands actually sampled (fewer than SAMPLE_SIZE in a small table). */
  sampled: number;
  docs: Map<string, number>;
}

const samples = new WeakMap<Database.Database, TrigramSample>();

/** The distinct trigrams of `text` as the trigram tokenizer sees them (code points, folded). */
export function trigramsOf(text: string): string[] {
  const chars = Array.from(foldCase(text));
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  return [...out];
}

function trigramSample(sqlite: Database.Database): TrigramSample {
  const commands = commandCount(sqlite);
  const cached = samples.get(sqlite);
  if (cached && commands >= cached.commands && commands <= cached.commands * 2) return cached;
  // Runs of consecutive commands starting at ids spread evenly over the id range (ids are sparse:
  // see ../command-ids.ts). A run shares table pages, so a cold connection reads a few hundred
  // pages instead of one page per sampled command.
  const runs = Math.ceil(SAMPLE_SIZE / SAMPLE_RUN);
  // Commands without a time have negative ids far below the rest: sample the timed ones only.
  const [low, high] = prepared(
    sqlite,
    'SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM commands WHERE id >= 0',
  )
    .raw(true)
    .get() as [number, number];
  const run = prepared(
    sqlite,
    `SELECT id, substr(text, 1, ${SAMPLED_CHARS}) FROM commands WHERE id >= ? ORDER BY id LIMIT ${SAMPLE_RUN}`,
  ).raw(true);
  const texts: string[] = [];
  // Ids follow time, so a quiet month is a wide gap: starts that land in one would read the same
  // run again; a start before the end of the previous run is skipped.
  let sampledUpTo = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = low + Math.floor(((high - low) * i) / runs);
    if (start <= sampledUpTo) continue;
    for (const [id, text] of run.all(start) as [number, string][]) {
      if (id <= sampledUpTo) continue;
      texts.push(text);
      sampledUpTo = id;
    }
  }
  const docs = new Map<string, number>();
  // Which sampled command last counted each trigram: a command counts a trigram once.
  const countedIn = new Map<string, number>();
  texts.forEach((text, doc) => {
    const folded = foldCase(text);
    // ASCII (nearly every command) is indexed by UTF-16 unit, the rest by code point.
    const ascii = isAscii(folded);
    const chars = ascii ? [] : Array.from(folded);
    const length = ascii ? folded.length : chars.length;
    for (let i = 0; i + 3 <= length; i++) {
      const trigram = ascii ? folded.slice(i, i + 3) : chars[i]! + chars[i + 1]! + chars[i + 2]!;
      if (countedIn.get(trigram) === doc) continue;
      const seen = docs.get(trigram);
      if (seen === undefined && docs.size >= MAX_SAMPLED_TRIGRAMS) continue;
      docs.set(trigram, (seen ?? 0) + 1);
      countedIn.set(trigram, doc);
    }
  });
  const sample = { commands, sampled: texts.length, docs };
  samples.set(sqlite, sample);
  return sample;
}

/**
 * The needle's RARE_TERMS rarest trigrams by sampled document count, rarest first, and how many
 * commands the rarest one is estimated to be in.
 */
export function rarestTrigrams(
  sqlite: Database.Database,
  needle: string,
): { terms: string[]; estimate: number } {
  const { docs, sampled, commands } = trigramSample(sqlite);
  const ranked = trigramsOf(needle)
    .map((trigram) => ({ trigram, docs: docs.get(trigram) ?? 0 }))
    .sort((a, b) => a.docs - b.docs)
    .slice(0, RARE_TERMS);
  const estimate = sampled > 0 ? ((ranked[0]?.docs ?? 0) * commands) / sampled : 0;
  return { terms: ranked.map((t) => t.trigram), estimate };
}

/**
 * Ids of the commands matching `needle` exactly, ascending, at most `cap`; undefined when the needle has too few trigrams to
 * choose from or its rarest trigrams are too common to beat the phrase query.
 */
export function rareTrigramMatches(
  sqlite: Database.Database,
  needle: string,
  cap: number,
): number[] | undefined {
  const trigrams = trigramsOf(needle).length;
  if (trigrams <= RARE_TERMS) return undefined;
  const { terms, estimate } = rarestTrigrams(sqlite, needle);
  // Even the rarest trigram is common: its candidates would hit the cap, the probe wasted.
  if (estimate >= CANDIDATE_CAP) return undefined;
  // A short phrase reads few doclists, about as cheap as checking many candidates (`rm -rf`, 1,500
  // candidates: 1.2 ms either way); the intersection pays off on few candidates or long phrases.
  if (estimate >= FEW_CANDIDATES && trigrams < LONG_PHRASE_TRIGRAMS) return undefined;
  const candidates = prepared(
    sqlite,
    `SELECT rowid FROM commands_fts WHERE commands_fts MATCH ? LIMIT ${CANDIDATE_CAP}`,
  )
    .pluck(true)
    .all(terms.map(ftsPhrase).join(' AND ')) as number[];
  if (candidates.length >= CANDIDATE_CAP) return undefined;
  // json_each keeps the array's (ascending) order: these are the first `cap` matches by id, as the
  // phrase query with `LIMIT cap` would read them (minus rows only FTS5's case folding matches).
  const text = textCondition(sqlite, needle);
  return prepared(
    sqlite,
    `SELECT c.id FROM json_each(?) j CROSS JOIN commands c ON c.id = j.value${whereClause(text)} LIMIT ${cap}`,
  )
    .pluck(true)
    .all(JSON.stringify(candidates), ...text.params) as number[];
}
