/**
 * The rule of issue 9: ambiguity never hides a command. Where the screen and the raw bytes may
 * disagree, raw lines that begin with a prompt already learned in the session are read as well;
 * those the screen did not give as commands are added with fidelity `uncertain` and
 * `executed: null` (whether the shell ran them cannot be told: never "aborted").
 */
import type { Draft } from '../extractor/draft.ts';
import { startsWithLearned } from '../extractor/prompt.ts';
import { COMMAND_MAX_CHARS, SESSION_MAX_COMMANDS } from '../types.ts';
import { renderRawLine } from './render.ts';

export interface RawCandidate {
  text: string;
  /** Where the line ends (bytes form: absolute byte offset; CloudWatch form: the driver's offset). */
  end: number;
  /** The line touches a place where the screen may hide it. */
  suspect: boolean;
  user: string | null;
  timestamp: number | null;
}

/** Bytes of a raw line rendered first to see whether any part of it starts with a prompt. */
const PROBE_BYTES = 1024;
/** Raw lines kept per session (anchors included): the same bound as commands. */
const MAX_CANDIDATES = SESSION_MAX_COMMANDS;
/** Characters kept over all candidates: raw lines must not hold more than commands could. */
const MAX_CANDIDATE_CHARS = 16 * 1024 * 1024;
/** How far (in the form's offsets) a screen command may lie from the raw line it matches. */
const MATCH_DISTANCE = 512 * 1024;
/** Screen commands looked at past the last match (a raw line only matches one near it). */
const MATCH_WINDOW = 64;

export class UncertainLines {
  readonly candidates: RawCandidate[] = [];
  private chars = 0;
  private readonly decoder = new TextDecoder();
  private sigilsFor: readonly string[] | null = null;
  private sigilCache: number[] | null = null;

  constructor(
    private readonly prompts: () => readonly string[],
    private readonly user: () => string | null,
    private readonly cols: () => number,
  ) {}

  /** A raw line of the bytes form (without its line feed). */
  bytesLine(bytes: Uint8Array, end: number, suspect: boolean): void {
    const learned = this.learned();
    if (learned.length === 0 || !mayHoldPrompt(bytes, learned)) return;
    if (bytes.length > PROBE_BYTES) {
      const probe = this.decoder.decode(bytes.subarray(0, PROBE_BYTES));
      if (!renderRawLine(probe, this.cols(), PROBE_BYTES).some((s) => startsWithLearned(s, learned))) return;
    }
    this.textLine(this.decoder.decode(bytes), end, suspect, null, learned);
  }

  /** A line as text (CloudWatch form, or decoded bytes). */
  textLine(
    line: string,
    end: number,
    suspect: boolean,
    timestamp: number | null,
    learned = this.learned(),
  ): void {
    if (learned.length === 0 || this.candidates.length >= MAX_CANDIDATES || this.chars >= MAX_CANDIDATE_CHARS)
      return;
    for (const segment of renderRawLine(line, this.cols(), COMMAND_MAX_CHARS + 512)) {
      const split = startsWithLearned(segment, learned);
      if (!split) continue;
      const text = split.text.trimEnd().slice(0, COMMAND_MAX_CHARS);
      if (text === '') continue;
      this.candidates.push({ text, end, suspect, user: this.user(), timestamp });
      this.chars += text.length;
    }
  }

  /** Each learned prompt's last byte (deduplicated), or null if one is not ASCII. */
  sigils(): number[] | null {
    const learned = this.learned();
    if (learned === this.sigilsFor) return this.sigilCache;
    this.sigilsFor = learned;
    const bytes = new Set<number>();
    for (const p of learned) bytes.add(p.charCodeAt(p.length - 1));
    this.sigilCache = [...bytes].every((b) => b < 0x80) ? [...bytes] : null;
    return this.sigilCache;
  }

  /** Learned prompts, without the continuation prompt `>` (the driver's list already drops it). */
  private learned(): readonly string[] {
    return this.prompts();
  }
}

/**
 * The screen's commands with the raw lines it did not give, in order. A raw line matches a screen
 * command of the same text near it; unmatched raw lines from suspect places become uncertain
 * commands placed after the screen command matched last.
 */
export function mergeUncertain(drafts: readonly Draft[], candidates: readonly RawCandidate[]): Draft[] {
  if (!candidates.some((c) => c.suspect)) return [...drafts];
  const before = new Map<number, Draft[]>();
  let next = 0;
  let added = 0;
  let previousMatched = false;
  for (const c of candidates) {
    let found = -1;
    for (let k = next; k < Math.min(drafts.length, next + MATCH_WINDOW); k++) {
      const d = drafts[k]!;
      if (Math.abs(d.pos.offset - c.end) <= MATCH_DISTANCE && sameCommand(d.text, c.text)) {
        found = k;
        break;
      }
    }
    if (found >= 0) {
      next = found + 1;
      previousMatched = true;
      continue;
    }
    if (!c.suspect || drafts.length + added >= SESSION_MAX_COMMANDS) continue;
    // Right after the raw line matched just before it; without one, by where it lies.
    let at = next;
    if (!previousMatched) while (at < drafts.length && drafts[at]!.pos.offset <= c.end) at++;
    previousMatched = false;
    const list = before.get(at) ?? [];
    list.push(uncertainDraft(c));
    before.set(at, list);
    added++;
  }
  const out: Draft[] = [];
  for (let k = 0; k <= drafts.length; k++) {
    const inserted = before.get(k);
    if (inserted) out.push(...inserted);
    if (k < drafts.length) out.push(drafts[k]!);
  }
  return out;
}

/**
 * Cheap test before decoding: a learned prompt ends in a sigil (`$`, `#`, `>`...), and a line
 * holding none of those bytes cannot start with one (most output lines end here).
 */
function mayHoldPrompt(bytes: Uint8Array, learned: readonly string[]): boolean {
  for (const p of learned) {
    const last = p.charCodeAt(p.length - 1);
    if (last >= 0x80 || bytes.indexOf(last) >= 0) return true;
  }
  return false;
}

function normalize(text: string): string {
  return text.replace(/\^C\s*$/, '').trimEnd();
}

/** Same command on screen and in the raw line (a multi-line command's first line counts). */
function sameCommand(screen: string, raw: string): boolean {
  const a = normalize(screen);
  const b = normalize(raw);
  if (a === b) return true;
  const firstLine = a.split('\n', 1)[0]!;
  return firstLine === b || (b.length >= 64 && a.startsWith(b.slice(0, 64)));
}

function uncertainDraft(c: RawCandidate): Draft {
  return {
    text: c.text,
    user: c.user,
    executed: null,
    pos: { offset: c.end, timestamp: c.timestamp },
    cwd: null,
    exitCode: null,
    lossy: false,
    uncertain: true,
    output: [],
    outputChars: 0,
  };
}
