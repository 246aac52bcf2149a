/**
 * Literals a regular expression cannot match without: for the prefilter, so a rule whose only
 * selection is a `re` is still skipped on lines that lack them (SigmaHQ's pnscan rule otherwise ran
 * RE2 on every simple command). Conservative by construction: the answer is a set of lowercase ASCII
 * literals at least one of which occurs (case folded) in every match, or null when none can be
 * promised. Anything this reader does not fully understand (lookaround, `\Q`, unknown escapes) gives
 * null, never a guess. Case-insensitive flags need no care: literals are compared case folded, and the
 * literal scan folds the non-ASCII case twins RE2 knows for ASCII letters (U+017F, U+212A).
 *
 * `regexNeeds` goes further for the gate in front of RE2: every necessary set it can read (a match
 * holds one literal of each), and, for a pattern that cannot match case-insensitively, the same
 * sets with their case as written.
 */

/** Thrown inside the reader when the pattern has a form it does not vouch for. */
class Unknown extends Error {}

type Need = string[] | null;

/**
 * What a piece of a pattern promises: necessary sets (all hold in a match; empty when none is
 * known), most selective first, and its exact language when finite.
 */
interface Part {
  needs: string[][];
  exact: string[] | null;
}

/** Largest exact language (or product of adjacent ones) kept as a set. */
const MAX_EXACT = 32;

/** Most necessary sets kept per piece: the most selective (each further one rarely prunes more). */
const MAX_SETS = 3;

function score(s: string[]): number {
  return Math.min(...s.map((x) => x.length)) * 4 - s.length;
}

/** The `MAX_SETS` most selective distinct sets, best first. */
function best(sets: string[][]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const set of [...sets].sort((a, b) => score(b) - score(a))) {
    const key = JSON.stringify([...set].sort());
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(set);
    if (out.length === MAX_SETS) break;
  }
  return out;
}

/** The more selective of two necessary sets: the one whose shortest literal is longest. */
export function moreSelective(a: Need, b: Need): Need {
  if (!a) return b;
  if (!b) return a;
  return score(b) > score(a) ? b : a;
}

const classEscapes = new Set(['d', 'D', 's', 'S', 'w', 'W', 'b', 'B', 'A', 'z']);

class Reader {
  private pos = 0;
  /** `fold`: literals lowercased (compared case folded); otherwise kept as written. */
  constructor(
    private readonly src: string,
    private readonly fold = true,
  ) {}

  /**
   * alternation := concat ('|' concat)*: one necessary literal from every branch; `exact` is the
   * whole (finite, small) set of strings the alternation matches, when it is one.
   */
  alternation(): Part {
    const branches: Part[] = [this.concat()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      branches.push(this.concat());
    }
    if (branches.length === 1) return branches[0]!;
    // One branch matches: the union of one necessary set from each is necessary.
    const firsts = branches.map((b) => b.needs[0]);
    const needs = firsts.some((n) => n === undefined) ? [] : [[...new Set(firsts.flat() as string[])]];
    const exacts = branches.map((b) => b.exact);
    const exact = exacts.some((e) => e === null) ? null : [...new Set(exacts.flat() as string[])];
    return { needs, exact: exact && exact.length <= MAX_EXACT ? exact : null };
  }

  /**
   * A sequence of atoms. Adjacent atoms with a finite language (characters, groups of literal
   * alternatives) multiply into a set of runs, one of which every match contains; a run ends at
   * anything else, and a group that must occur at least once contributes its own necessary set.
   */
  private concat(): Part {
    const sets: string[][] = [];
    let runs: string[] = [''];
    let whole = true; // every atom so far was exact and unquantified
    const endRun = () => {
      if (runs.every((r) => r.length > 0)) sets.push(runs);
      runs = [''];
    };
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const atom = this.atom();
      const { min } = this.quantifier();
      const language = atom.char !== undefined ? [atom.char] : (atom.part?.exact ?? null);
      if (language && min === -1 && runs.length * language.length <= MAX_EXACT) {
        const prefixes: string[] = runs;
        runs = prefixes.flatMap((r) => language.map((l) => r + l));
        continue;
      }
      whole = false;
      if (language && language.length === 1 && min > 0) {
        // Repeated literal: one copy continues the run, what follows is not adjacent to it.
        const one = language[0]!;
        runs = runs.map((r) => r + one);
        endRun();
        continue;
      }
      endRun();
      if (min !== 0 && atom.part) sets.push(...atom.part.needs);
    }
    const exact = whole ? runs : null;
    endRun();
    return { needs: best(sets), exact };
  }

  /** Minimum repetitions of the atom just read; -1 when unquantified (exactly once: a run goes on). */
  private quantifier(): { min: number } {
    const c = this.src[this.pos];
    let min = -1;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.src.slice(this.pos));
      if (!m) return { min: -1 }; // a literal `{` (RE2 reads it so when it is not a repeat)
      this.pos += m[0].length - 1;
      min = Number(m[1]);
    } else return { min: -1 };
    this.pos++;
    if (this.src[this.pos] === '?') this.pos++; // non-greedy
    if (this.src[this.pos] === '*' || this.src[this.pos] === '+' || this.src[this.pos] === '?')
      throw new Unknown('double quantifier');
    return { min };
  }

  /** One atom: a literal character (lowercased ASCII) or a group's necessary set, or neither. */
  private atom(): { char?: string; part?: Part } {
    const c = this.src[this.pos++]!;
    if (c === '(') return { part: this.group() };
    if (c === '[') {
      this.skipClass();
      return {};
    }
    if (c === '.' || c === '^' || c === '$') return {};
    if (c === '\\') return this.escape();
    if (c === '*' || c === '+' || c === '?') throw new Unknown('quantifier without atom');
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code < 0xdc00) this.pos++; // surrogate pair: one non-ASCII character
    return code < 128 ? { char: this.fold ? c.toLowerCase() : c } : {};
  }

  private group(): Part {
    if (this.src[this.pos] === '?') {
      const rest = this.src.slice(this.pos);
      const flags = /^\?[imsU-]*\)/.exec(rest);
      if (flags) {
        this.pos += flags[0].length;
        return { needs: [], exact: [''] }; // flags only: matches the empty string
      }
      const open = /^\?(?:[imsU-]*:|P?<[A-Za-z0-9_]+>)/.exec(rest);
      if (!open) throw new Unknown('lookaround or unknown group');
      this.pos += open[0].length;
    }
    const part = this.alternation();
    if (this.src[this.pos] !== ')') throw new Unknown('unclosed group');
    this.pos++;
    return part;
  }

  private escape(): { char?: string } {
    const c = this.src[this.pos++];
    if (c === undefined) throw new Unknown('trailing backslash');
    if (classEscapes.has(c)) return {};
    if (c === 'p' || c === 'P') {
      if (this.src[this.pos] === '{') {
        const end = this.src.indexOf('}', this.pos);
        if (end < 0) throw new Unknown('bad \\p');
        this.pos = end + 1;
      } else this.pos++;
      return {};
    }
    if (/[0-9A-Za-z]/.test(c)) throw new Unknown(`escape \\${c}`); // \x, \Q, \n, octal...: not vouched for
    const code = c.charCodeAt(0);
    return code < 128 ? { char: c } : {};
  }

  /** Skips a character class `[...]` (a class is never a literal here). */
  private skipClass(): void {
    if (this.src[this.pos] === '^') this.pos++;
    if (this.src[this.pos] === ']') this.pos++;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos++];
      if (c === '\\') this.pos++;
      else if (c === '[' && this.src[this.pos] === ':') {
        const end = this.src.indexOf(':]', this.pos);
        if (end < 0) throw new Unknown('bad [:class:]');
        this.pos = end + 2;
      } else if (c === ']') return;
    }
    throw new Unknown('unclosed class');
  }

  done(): boolean {
    return this.pos === this.src.length;
  }
}

/**
 * Lowercase ASCII literals one of which every match of `pattern` contains (case folded), or null.
 *
 * @example regexLiterals('\\b(nc|ncat)\\s+-e') // ['nc', 'ncat'] (the best necessary set)
 */
export function regexLiterals(pattern: string): string[] | null {
  return regexNeeds(pattern)?.[0] ?? null;
}

/**
 * Every necessary set of `pattern` that can be read (up to three, most selective first): a match
 * holds one literal of each. With `fold` (the default) lowercase and compared case folded; without,
 * as written, for a pattern RE2 runs case-sensitively (see `caseSensitive`). Null when none.
 *
 * @example regexNeeds('\\bfind\\s+/var/log\\b.*(-delete|\\brm\\b)') // [['/var/log'], ['-delete', 'rm'], ['find']]
 */
export function regexNeeds(pattern: string, fold = true): string[][] | null {
  try {
    const reader = new Reader(pattern, fold);
    const { needs } = reader.alternation();
    if (!reader.done()) return null; // a stray `)`: RE2 refused it anyway
    const usable = needs.filter((set) => set.every((l) => l.length > 0));
    return usable.length > 0 ? usable : null;
  } catch (error) {
    if (error instanceof Unknown) return null;
    throw error;
  }
}

/**
 * True when RE2 matches `pattern` only case-sensitively: no `i` flag from the rule and no inline
 * flag group that turns `i` on (read loosely: any `(?` flags holding an `i` counts as on).
 */
export function caseSensitive(pattern: string, insensitiveFlag: boolean): boolean {
  return !insensitiveFlag && !/\(\?[A-Za-z]*i/.test(pattern);
}
