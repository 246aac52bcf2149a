/**
 * Aho-Corasick over the literals rules require: one pass over a line's lowercased text says which
 * rules could match at all, so a line is checked against a handful of rules instead of hundreds.
 * ASCII only (a full DFA table, 128 columns); any other character restarts the automaton, which is
 * safe because only ASCII literals are indexed. Literals are lowercase and the scan folds case.
 */

export class LiteralIndex {
  /**
   * table[p + classOf[c]] for the state at p (a state's row starts at p = state * width): the next
   * row start, bitwise-negated (~p) when the state reports groups. One load per character.
   */
  private readonly table: Int32Array;
  /** Character class per ASCII code: 0 for characters in no literal (they always lead to the root). */
  private readonly classOf: Uint8Array;
  private readonly width: number;
  /** Groups reported per state (its own literals and its suffixes'). */
  private readonly outputs: (Int32Array | null)[];
  /** Bit set of every group, for `hasAll` (-1 when there are more than 31). */
  private readonly allGroups: number;

  /** `literals[i]` lists the lowercase literals of anchor group i (null: none in this index); `scan` reports i. */
  constructor(literals: (string[] | null)[]) {
    const goto: Map<number, number>[] = [new Map()];
    const out: Set<number>[] = [new Set()];
    literals.forEach((list, group) => {
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
        out[s]!.add(group);
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
    // Compact alphabet: one column per character some literal holds; a character in no literal
    // leads to the root from every state (no goto edge anywhere, so no failure edge either).
    // Uppercase ASCII shares its lowercase's column: the scan folds case (literals are lowercase).
    const classOf = new Uint8Array(128);
    const reps: number[] = [0];
    for (let c = 0; c < 128; c++) {
      if (c >= 0x41 && c <= 0x5a) continue;
      let used = false;
      for (let st = 0; st < states && !used; st++) used = delta[st * 128 + c] !== 0;
      if (used) {
        classOf[c] = reps.length;
        reps.push(c);
      }
    }
    for (let c = 0x41; c <= 0x5a; c++) classOf[c] = classOf[c + 32]!;
    const width = reps.length;
    const table = new Int32Array(states * width);
    for (let st = 0; st < states; st++)
      for (let k = 1; k < width; k++) {
        const next = delta[st * 128 + reps[k]!]!;
        table[st * width + k] = out[next]!.size > 0 ? ~(next * width) : next * width;
      }
    this.allGroups = literals.length <= 31 ? (1 << literals.length) - 1 : -1;
    this.table = table;
    this.classOf = classOf;
    this.width = width;
    this.outputs = out.map((set) => (set.size > 0 ? Int32Array.from(set) : null));
  }

  /**
   * Whether every group (at most 31) has a literal in `text`, case folded as `scan` does: the gate
   * in front of a regular expression whose necessary sets are the groups.
   */
  hasAll(text: string): boolean {
    const { table, classOf, outputs, width } = this;
    const all = this.allGroups;
    if (all === 0) return true;
    if (all === -1) throw new Error('hasAll takes at most 31 groups');
    let seen = 0;
    let p = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      let restart = false;
      if (c >= 128) {
        if (c === 0x212a) c = 0x6b;
        else if (c === 0x17f) c = 0x73;
        else if (c === 0x130) {
          // Lowercases to `i` + U+0307: `i` may end a literal here, and nothing goes on past it.
          c = 0x69;
          restart = true;
        } else {
          p = 0;
          continue;
        }
      }
      p = table[p + classOf[c]!]!;
      if (p < 0) {
        p = ~p;
        const found = outputs[p / width]!;
        for (let k = 0; k < found.length; k++) seen |= 1 << found[k]!;
        if (seen === all) return true;
      }
      if (restart) p = 0;
    }
    return false;
  }

  /**
   * Whether any literal occurs in `text`. With `fold`, case folded as `scan` does (a superset of
   * what RE2's `(?i)` can match); without, characters outside ASCII never match, so on a lowercased
   * value it answers exactly whether one of the literals is a substring.
   */
  has(text: string, fold: boolean): boolean {
    const { table, classOf } = this;
    let p = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 128) {
        if (fold && (c === 0x212a || c === 0x17f || c === 0x130))
          c = c === 0x212a ? 0x6b : c === 0x17f ? 0x73 : 0x69;
        else {
          p = 0;
          continue;
        }
      }
      p = table[p + classOf[c]!]!;
      if (p < 0) return true;
      if (c === 0x69 && text.charCodeAt(i) === 0x130) p = 0;
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
  scan(text: string, hit: (group: number) => void): void {
    const { table, classOf, outputs, width } = this;
    let p = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 128) {
        if (c === 0x212a) c = 0x6b;
        else if (c === 0x17f)
          c = 0x73; // LATIN SMALL LONG S: RE2's (?i) matches it for `s`
        else if (c === 0x130) c = 0x69;
        else {
          p = 0;
          continue;
        }
      }
      p = table[p + classOf[c]!]!;
      if (p < 0) {
        p = ~p;
        const found = outputs[p / width]!;
        for (let k = 0; k < found.length; k++) hit(found[k]!);
      }
      if (c === 0x69 && text.charCodeAt(i) === 0x130) p = 0;
    }
  }
}
