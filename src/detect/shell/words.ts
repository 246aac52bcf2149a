/**
 * Shell word scanning: quote removal and escapes the way a POSIX shell (and bash) performs them,
 * without expanding anything. `c''url` -> `curl`, `\rm` -> `rm`, `"/bin/"sh` -> `/bin/sh`,
 * `$'\x63url'` -> `curl`. Command substitutions (`$(...)`, backticks, `<(...)`, `>(...)`) stay in
 * the word as written and are handed back so the parser can parse what they run.
 *
 * Everything here is tolerant: an unterminated quote or substitution runs to the end of the input.
 */

export interface ScannedWord {
  /** Index just past the word. */
  end: number;
  /** The word after quote removal (expansions kept as typed). */
  value: string;
  /** Source text of the word. */
  raw: string;
  /** Commands run by substitutions inside the word, as source text to parse. */
  subs: string[];
  /** True when some part of the word was quoted or escaped (so it is not a reserved word). */
  quoted: boolean;
}

/** Characters that end an unquoted word. */
export function isMeta(c: string): boolean {
  return (
    c === ' ' ||
    c === '\t' ||
    c === '\n' ||
    c === ';' ||
    c === '&' ||
    c === '|' ||
    c === '<' ||
    c === '>' ||
    c === '(' ||
    c === ')' ||
    c === '\r'
  );
}

/**
 * Index just past the `)` closing a `$(` or `(` whose body starts at `i`, skipping quotes,
 * comments-free nesting and backticks. Runs to the end when unbalanced.
 */
export function skipParens(src: string, i: number): number {
  let depth = 1;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\\') i += 2;
    else if (c === "'") {
      const close = src.indexOf("'", i + 1);
      i = close < 0 ? n : close + 1;
    } else if (c === '"') i = skipDouble(src, i + 1);
    else if (c === '`') i = skipBacktick(src, i + 1);
    else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth--;
      i++;
      if (depth === 0) return i;
    } else i++;
  }
  return n;
}

/** Index just past the closing `"` of a double-quoted string whose body starts at `i`. */
function skipDouble(src: string, i: number): number {
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '$' && src[i + 1] === '(') i = skipParens(src, i + 2);
    else if (c === '`') i = skipBacktick(src, i + 1);
    else i++;
  }
  return n;
}

function skipBacktick(src: string, i: number): number {
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\\') i += 2;
    else if (c === '`') return i + 1;
    else i++;
  }
  return n;
}

function skipBraces(src: string, i: number): number {
  let depth = 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    i++;
  }
  return src.length;
}

const simpleEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Decodes the body of `$'...'` starting at `i`; returns the text and the index past the `'`. */
function ansiC(src: string, i: number): [string, number] {
  let out = '';
  const n = src.length;
  while (i < n && src[i] !== "'") {
    const c = src[i]!;
    if (c !== '\\' || i + 1 >= n) {
      out += c;
      i++;
      continue;
    }
    const e = src[i + 1]!;
    const hexMatch = /^(?:x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|([0-7]{1,3}))/.exec(
      src.slice(i + 1, i + 10),
    );
    if (simpleEscapes[e] !== undefined) {
      out += simpleEscapes[e];
      i += 2;
    } else if (hexMatch) {
      const [all, x, u, U, oct] = hexMatch;
      const code = x ? parseInt(x, 16) : u || U ? parseInt((u ?? U)!, 16) : parseInt(oct!, 8);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : '';
      i += 1 + all.length;
    } else {
      out += `\\${e}`;
      i += 2;
    }
  }
  return [out, Math.min(n, i + 1)];
}

/** Scans one word starting at `i` (which must not be a metacharacter or blank). */
export function scanWord(src: string, start: number): ScannedWord {
  let i = start;
  let value = '';
  let quoted = false;
  const subs: string[] = [];
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\\') {
      quoted = true;
      if (src[i + 1] === '\n') i += 2;
      else {
        value += src[i + 1] ?? '';
        i += 2;
      }
    } else if (c === "'") {
      quoted = true;
      const close = src.indexOf("'", i + 1);
      const end = close < 0 ? n : close;
      value += src.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      quoted = true;
      i = scanDouble(src, i + 1, (text) => (value += text), subs);
    } else if (c === '$') {
      const next = src[i + 1];
      if (next === "'") {
        quoted = true;
        const [text, end] = ansiC(src, i + 2);
        value += text;
        i = end;
      } else if (next === '"') {
        quoted = true;
        i = scanDouble(src, i + 2, (text) => (value += text), subs);
      } else i = scanDollar(src, i, (text) => (value += text), subs);
    } else if (c === '`') {
      const end = skipBacktick(src, i + 1);
      subs.push(src.slice(i + 1, src[end - 1] === '`' ? end - 1 : end).replace(/\\([`$\\])/g, '$1'));
      value += src.slice(i, end);
      i = end;
    } else if ((c === '<' || c === '>') && src[i + 1] === '(' && i === start) {
      const end = skipParens(src, i + 2);
      subs.push(src.slice(i + 2, end - 1));
      value += src.slice(i, end);
      i = end;
    } else if (c === '=' && src[i + 1] === '(' && /^[A-Za-z_][A-Za-z0-9_]*\+?$/.test(value)) {
      const end = skipParens(src, i + 2);
      value += src.slice(i, end);
      i = end;
    } else if (isMeta(c)) break;
    else {
      const stop = plainRun(src, i + 1);
      value += src.slice(i, stop);
      i = stop;
    }
  }
  return { end: i, value, raw: src.slice(start, i), subs, quoted };
}

/** `$(...)`, `$((...))`, `${...}` or `$NAME` at `i`: kept as typed, substituted commands collected. */
function scanDollar(src: string, i: number, emit: (t: string) => void, subs: string[]): number {
  const next = src[i + 1];
  if (next === '(') {
    const end = skipParens(src, i + 2);
    if (src[i + 2] !== '(') subs.push(src.slice(i + 2, src[end - 1] === ')' ? end - 1 : end));
    emit(src.slice(i, end));
    return end;
  }
  if (next === '{') {
    const end = skipBraces(src, i + 2);
    emit(src.slice(i, end));
    return end;
  }
  emit('$');
  return i + 1;
}

/** Scans a double-quoted body from `i`; returns the index past the closing quote. */
function scanDouble(src: string, i: number, emit: (t: string) => void, subs: string[]): number {
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '"') return i + 1;
    if (c === '\\') {
      const e = src[i + 1];
      if (e === '$' || e === '`' || e === '"' || e === '\\') emit(e);
      else if (e !== '\n') emit(`\\${e ?? ''}`);
      i += 2;
    } else if (c === '$') i = scanDollar(src, i, emit, subs);
    else if (c === '`') {
      const end = skipBacktick(src, i + 1);
      subs.push(src.slice(i + 1, src[end - 1] === '`' ? end - 1 : end).replace(/\\([`$\\])/g, '$1'));
      emit(src.slice(i, end));
      i = end;
    } else {
      const stop = nextSpecial(src, i);
      emit(src.slice(i, stop));
      i = stop;
    }
  }
  return n;
}

function nextSpecial(src: string, i: number): number {
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === '\\' || c === '$' || c === '`') return i;
    i++;
  }
  return i;
}

/** End of a run of characters with no special meaning inside an unquoted word. */
function plainRun(src: string, i: number): number {
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' || c === "'" || c === '"' || c === '$' || c === '`' || c === '=' || isMeta(c)) return i;
    i++;
  }
  return i;
}
