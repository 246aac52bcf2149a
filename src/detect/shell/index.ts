/**
 * A typed line is not one process: `parseShell` turns it into the simple commands a shell would run,
 * looking through substitutions, `sh -c '...'`, `eval`, and wrappers such as sudo/env/nohup, with
 * quotes and escapes removed. Bounded (line length, nesting depth, number of commands, tokens) and
 * total: garbage never throws, it falls back to a tolerant split.
 *
 * @example parseShell("sudo c''url -s http://x | sh").commands.map((c) => c.image)
 *   // ['/usr/bin/sudo', '/usr/bin/curl', '/bin/sh']
 */
import { tokenize } from './lexer.ts';
import { groupCommands, type RawCommand, type Redirect } from './parser.ts';
import { baseName, resolveImage } from './paths.ts';
import { isWrapper, unwrap } from './wrappers.ts';

export type { Redirect } from './parser.ts';
export { baseName, resolveImage } from './paths.ts';

export interface ShellCommand {
  argv: string[];
  /** Absolute path of argv[0] (through the PATH table when typed bare). */
  image: string;
  /** argv after quote removal, joined by spaces. */
  commandLine: string;
  /** The wrapper or shell that runs this command, '' for the interactive shell itself. */
  parentImage: string;
  parentCommandLine: string;
  /** Effective user when a wrapper changed it (sudo -> root, sudo -u x -> x). */
  user?: string;
  redirects: Redirect[];
  assignments: string[];
}

export interface ParsedLine {
  commands: ShellCommand[];
  /**
   * The line with quotes and escapes removed, operators kept (`c''url x|s\h` -> `curl x | sh`),
   * followed by what substitutions and `sh -c` strings contain: what keyword rules search.
   */
  normalized: string;
  /** True when the tolerant split was used instead of the grammar (too long, too many tokens). */
  fallback: boolean;
}

export interface ParseLimits {
  maxLength: number;
  maxDepth: number;
  maxCommands: number;
  maxTokens: number;
}

export const defaultLimits: ParseLimits = {
  maxLength: 32_768,
  maxDepth: 6,
  maxCommands: 256,
  maxTokens: 8_192,
};

const shells = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'busybox']);

interface Parent {
  image: string;
  commandLine: string;
  user: string | undefined;
}

interface Context {
  cwd: string | undefined;
  limits: ParseLimits;
  out: ShellCommand[];
  normalized: string[];
  tokensLeft: number;
  truncated: boolean;
}

/** Parses one command line into simple commands. */
export function parseShell(text: string, options: { cwd?: string; limits?: ParseLimits } = {}): ParsedLine {
  const limits = options.limits ?? defaultLimits;
  const ctx: Context = {
    cwd: options.cwd,
    limits,
    out: [],
    normalized: [],
    tokensLeft: limits.maxTokens,
    truncated: false,
  };
  if (text.length > limits.maxLength) {
    const head = text.slice(0, limits.maxLength);
    return { commands: fallbackSplit(head, ctx), normalized: head, fallback: true };
  }
  try {
    parseInto(text, ctx, 0, { image: '', commandLine: '', user: undefined });
  } catch {
    ctx.truncated = true;
  }
  if (ctx.truncated && ctx.out.length === 0)
    return { commands: fallbackSplit(text, ctx), normalized: text, fallback: true };
  return { commands: ctx.out, normalized: ctx.normalized.join(' '), fallback: ctx.truncated };
}

function parseInto(src: string, ctx: Context, depth: number, parent: Parent): void {
  if (depth > ctx.limits.maxDepth) {
    ctx.truncated = true;
    return;
  }
  const { tokens, truncated } = tokenize(src, ctx.tokensLeft);
  ctx.tokensLeft -= tokens.length;
  if (truncated) ctx.truncated = true;
  const commands = groupCommands(tokens);
  const start = ctx.normalized.length;
  for (const raw of commands) ctx.normalized.push(normalizeRaw(raw));
  if (depth > 0 && ctx.normalized.length > start) ctx.normalized[start] = `; ${ctx.normalized[start]}`;
  for (const raw of commands) {
    for (const sub of raw.subs) parseInto(sub, ctx, depth + 1, parent);
    emitChain(raw, ctx, depth, parent);
  }
}

function normalizeRaw(raw: RawCommand): string {
  const parts = [...raw.assignments, ...raw.words.map((w) => w.value)];
  for (const r of raw.redirects)
    parts.push(r.op.startsWith('<<') && r.op !== '<<<' ? `${r.fd}${r.op}` : `${r.fd}${r.op} ${r.target}`);
  if (raw.terminator) parts.push(raw.terminator);
  return parts.join(' ');
}

/** Emits a simple command and, through wrappers and `sh -c`, what it runs. */
function emitChain(
  raw: RawCommand,
  ctx: Context,
  depth: number,
  parent: Parent,
  argvOverride?: string[],
): void {
  let argv = argvOverride ?? raw.words.map((w) => w.value);
  for (let hop = 0; hop < 8 && argv.length > 0; hop++) {
    if (ctx.out.length >= ctx.limits.maxCommands) {
      ctx.truncated = true;
      return;
    }
    const image = resolveImage(argv[0]!, ctx.cwd);
    const commandLine = argv.join(' ');
    const command: ShellCommand = {
      argv,
      image,
      commandLine,
      parentImage: parent.image,
      parentCommandLine: parent.commandLine,
      redirects: raw.redirects,
      assignments: raw.assignments,
    };
    if (parent.user !== undefined) command.user = parent.user;
    ctx.out.push(command);
    const name = baseName(image);
    if (shells.has(name) && !(name === 'busybox' && argv[1] !== 'sh')) {
      const script = shellScript(name === 'busybox' ? argv.slice(1) : argv, raw.redirects);
      if (script !== null) parseInto(script, ctx, depth + 1, { image, commandLine, user: parent.user });
      return;
    }
    if (name === 'eval' && argv.length > 1) {
      parseInto(argv.slice(1).join(' '), ctx, depth + 1, { image, commandLine, user: parent.user });
      return;
    }
    if (name === 'find') {
      emitFindExec(argv, raw, ctx, depth, { image, commandLine, user: parent.user });
      return;
    }
    if (!isWrapper(name)) return;
    const inner = unwrap(name, argv);
    if (!inner) return;
    parent = { image, commandLine, user: inner.user ?? parent.user };
    argv = inner.argv;
  }
}

/** `find ... -exec cmd {} ;` runs cmd once per file: emit it as a child of find. */
function emitFindExec(argv: string[], raw: RawCommand, ctx: Context, depth: number, parent: Parent): void {
  for (let i = 1; i < argv.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(argv[i]!)) continue;
    let end = i + 1;
    while (end < argv.length && argv[end] !== ';' && argv[end] !== '+') end++;
    if (end > i + 1) emitChain({ ...raw, words: [] }, ctx, depth + 1, parent, argv.slice(i + 1, end));
    i = end;
  }
}

/** The script a shell invocation runs: the `-c` string, or a here-document / here-string on stdin. */
function shellScript(argv: string[], redirects: Redirect[]): string | null {
  let sawC = false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-o' || arg === '+o' || arg === '-O' || arg === '+O') {
      i++;
      continue;
    }
    if (arg === '--') continue;
    if ((arg.startsWith('-') || arg.startsWith('+')) && arg.length > 1) {
      if (!arg.startsWith('--') && arg.slice(1).includes('c')) sawC = true;
      continue;
    }
    // The first operand: the -c string, or a script file (which we cannot read).
    return sawC ? arg : null;
  }
  const stdin = redirects.find(
    (r) => (r.op === '<<' || r.op === '<<-' || r.op === '<<<') && (r.fd === '' || r.fd === '0'),
  );
  return stdin ? stdin.target : null;
}

/** Tolerant split for lines the grammar gave up on: separators, then blanks, quote characters dropped. */
function fallbackSplit(text: string, ctx: Context): ShellCommand[] {
  const out: ShellCommand[] = [];
  for (const part of text.split(/[;&|\n()`]+/)) {
    if (out.length >= ctx.limits.maxCommands) break;
    const argv = part
      .replace(/["'\\]/g, '')
      .split(/\s+/)
      .filter((w) => w.length > 0 && !/^\d*[<>]/.test(w));
    if (argv.length === 0) continue;
    const image = resolveImage(argv[0]!, ctx.cwd);
    out.push({
      argv,
      image,
      commandLine: argv.join(' '),
      parentImage: '',
      parentCommandLine: '',
      redirects: [],
      assignments: [],
    });
  }
  return out;
}
