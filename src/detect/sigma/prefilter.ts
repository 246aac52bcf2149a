/**
 * Aho-Corasick over the literals rules require: one pass over a line's lowercased text says which
 * rules could match at all, so a line is checked against a handful of rules instead of hundreds.
 * ASCII only (a full DFA table, 128 columns); any other character restarts the automaton, which is
 * safe because only ASCII literals are indexed. Literals are lowercase and the scan folds case.
 */

export class LiteralIndex {
  /** delta[state * 128 + code] = next state. */
  private readonly delta: Int32Array;
  /** Rule indices reported when a state is reached (its own literals and its suffixes'). */
  private readonly outputs: (Int32Array | null)[];
  /** 1 where `outputs` has rules: a typed-array test per character instead of a mixed-array load. */
  private readonly hasOutput: Uint8Array;

  /** `literals[i]` lists the lowercase literals of anchor group i (null: none in this index); `scan` reports i. */
  constructor(literals: (string[] | null)[]) {
    const goto: Map<number, number>[] = [new Map()];
    const out: Set<number>[] = [new Set()];
    literals.forEach((list, rule) => {
      for (const lit of list ?? []) {
        let s = 0;
        for (let i = 0; i < lit.length; i++) {
          const c = lit.charCodeAt(i);
          let next = goto[s]!.get(c);
          if (next === undefined) {
            next = goto.length;
            goto.push(new Map());
            out.push(new Set());
            goto[s]!.set(c, next);
          }
          s = next;
        }
        out[s]!.add(rule);
      }
    });
    const states = goto.length;
    const fail = new Int32Array(states);
    const delta = new Int32Array(states * 128);
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const next = goto[0]!.get(c) ?? 0;
      delta[c] = next;
      if (next !== 0) queue.push(next);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      for (const r of out[fail[s]!]!) out[s]!.add(r);
      for (let c = 0; c < 128; c++) {
        const next = goto[s]!.get(c);
        if (next === undefined) delta[s * 128 + c] = delta[fail[s]! * 128 + c]!;
        else {
          fail[next] = delta[fail[s]! * 128 + c]!;
          delta[s * 128 + c] = next;
          queue.push(next);
        }
      }
    }
    // Case folding: an uppercase ASCII letter steps exactly as its lowercase (literals are lowercase).
    for (let st = 0; st < states; st++)
      for (let c = 0x41; c <= 0x5a; c++) delta[st * 128 + c] = delta[st * 128 + c + 32]!;
    this.delta = delta;
    this.outputs = out.map((set) => (set.size > 0 ? Int32Array.from(set) : null));
    this.hasOutput = Uint8Array.from(out, (set) => (set.size > 0 ? 1 : 0));
  }

  /**
   * Whether any literal occurs in `text`. With `fold`, case folded as `scan` does (a superset of
   * what RE2's `(?i)` can match); without, characters outside ASCII never match, so on a lowercased
   * value it answers exactly whether one of the literals is a substring.
   */
  has(text: string, fold: boolean): boolean {
    const { delta, hasOutput } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 128) {
        if (fold && (c === 0x212a || c === 0x17f || c === 0x130))
          c = c === 0x212a ? 0x6b : c === 0x17f ? 0x73 : 0x69;
        else {
          s = 0;
          continue;
        }
      }
      s = delta[s * 128 + c]!;
      if (hasOutput[s] === 1) return true;
      if (c === 0x69 && text.charCodeAt(i) === 0x130) s = 0;
    }
    return false;
  }

  /**
   * Calls `hit(group)` for every group with a literal in `text.toLowerCase()` (a group may be reported
   * more than once), without building the lowercased copy: A-Z steps as a-z, and the only two
   * characters outside ASCII whose lowercase holds ASCII step as it does (U+212A KELVIN SIGN -> `k`,
   * U+0130 -> `i` + U+0307, which ends any literal), and U+017F steps as `s` (RE2 folds it to `s`
   * under `(?i)`: a superset, which a prefilter may be). Every other character outside ASCII
   * lowercases to characters outside ASCII, which no literal holds: the automaton restarts.
   */
  scan(text: string, hit: (rule: number) => void): void {
    const { delta, outputs, hasOutput } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 128) {
        if (c === 0x212a) c = 0x6b;
        else if (c === 0x17f)
          c = 0x73; // LATIN SMALL LONG S: RE2's (?i) matches it for `s`
        else if (c === 0x130) c = 0x69;
        else {
          s = 0;
          continue;
        }
      }
      s = delta[s * 128 + c]!;
      if (hasOutput[s] === 1) {
        const found = outputs[s]!;
        for (let k = 0; k < found.length; k++) hit(found[k]!);
      }
      if (c === 0x69 && text.charCodeAt(i) === 0x130) s = 0;
    }
  }
}
