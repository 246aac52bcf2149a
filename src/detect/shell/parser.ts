/**
 * Groups tokens into simple commands: splits on control operators (`|`, `;`, `&&`, `||`, `&`,
 * newlines, subshell and group brackets), drops shell grammar words (`if`, `then`, `do`, `for x in
 * ...`, `case ... in pat)`, function headers), and separates leading assignments and redirections
 * from the arguments. The commands inside substitutions are returned as source text (`subs`) for the
 * caller to parse one level deeper.
 */
import type { Token } from './lexer.ts';
import type { ScannedWord } from './words.ts';

export interface Redirect {
  op: string;
  fd: string;
  /** The target word after quote removal, or the here-document body. */
  target: string;
}

export interface RawCommand {
  words: ScannedWord[];
  assignments: string[];
  redirects: Redirect[];
  /** Source text of substitutions in this command's words, assignments and redirect targets. */
  subs: string[];
  /** The control operator that ended the command (`|`, `&&`, `;`, ...), '' at the end. */
  terminator: string;
}

const skippedReserved = new Set([
  '{',
  '}',
  '!',
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'while',
  'until',
  'esac',
  '[[',
  ']]',
]);
const assignment = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

function emptyCommand(): RawCommand {
  return { words: [], assignments: [], redirects: [], subs: [], terminator: '' };
}

/** Splits a token list into raw simple commands (empty ones dropped). */
export function groupCommands(tokens: Token[]): RawCommand[] {
  const out: RawCommand[] = [];
  let current = emptyCommand();
  /** Skip words until a separator (`for x in a b c`). */
  let skipToSeparator = false;
  /** Inside `case ... in`, skip a pattern up to its `)`. */
  let casePattern = false;
  let caseDepth = 0;
  const flush = () => {
    if (current.words.length > 0 || current.assignments.length > 0 || current.redirects.length > 0)
      out.push(current);
    current = emptyCommand();
  };
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (casePattern) {
      if (token.kind === 'op' && token.op === ')') casePattern = false;
      else if (token.kind === 'word' && token.value === 'esac' && !token.quoted) {
        casePattern = false;
        caseDepth = Math.max(0, caseDepth - 1);
      }
      continue;
    }
    if (token.kind === 'op') {
      current.terminator = token.op === '\n' ? ';' : token.op;
      flush();
      skipToSeparator = false;
      if (caseDepth > 0 && (token.op === ';;' || token.op === ';&' || token.op === ';;&')) casePattern = true;
      continue;
    }
    if (token.kind === 'redir') {
      const next = tokens[t + 1];
      const isHeredoc = token.op === '<<' || token.op === '<<-';
      // The lexer consumed a here-document's delimiter itself; its body is on the token.
      let target = isHeredoc ? (token.body ?? '') : '';
      if (!isHeredoc && next?.kind === 'word') {
        target = next.value;
        current.subs.push(...next.subs);
        t++;
      }
      current.redirects.push({ op: token.op, fd: token.fd, target });
      continue;
    }
    if (skipToSeparator) continue;
    const atStart = current.words.length === 0;
    if (atStart && !token.quoted) {
      const word = token.value;
      if (skippedReserved.has(word) && current.assignments.length === 0) continue;
      if (word === 'for' || word === 'select') {
        skipToSeparator = true;
        continue;
      }
      if (word === 'case') {
        caseDepth++;
        while (t + 1 < tokens.length) {
          const n = tokens[++t]!;
          if (n.kind === 'word' && n.value === 'in') break;
        }
        casePattern = true;
        continue;
      }
      if (word === 'function') {
        if (tokens[t + 1]?.kind === 'word') t++;
        continue;
      }
      // `name() { ...; }`: a function header, not a command.
      const n1 = tokens[t + 1];
      const n2 = tokens[t + 2];
      if (n1?.kind === 'op' && n1.op === '(' && n2?.kind === 'op' && n2.op === ')') {
        t += 2;
        continue;
      }
    }
    if (atStart && assignment.test(token.raw)) {
      current.assignments.push(token.value);
      current.subs.push(...token.subs);
      continue;
    }
    current.words.push(token);
    current.subs.push(...token.subs);
  }
  flush();
  return out;
}
