/**
 * Output a command spells out itself (`printf '\033[01;32muser@host\033[00m:~$ sudo reboot'`):
 * the visible text such a command prints, approximately, so a line of output can be recognised as
 * the command's own echo even when escape sequences sit between its characters.
 *
 * Plain shells print their prompt right after the previous command's output, on the same row when
 * that output did not end in a newline: `$ sudo reboot$ bash` is output `$ sudo reboot` and the
 * prompt `$ ` before `bash`. Only output the previous command spells can be cut off like that:
 * everything else stays where it is (a typed `echo $ x` keeps its `$ `).
 */
import { type PromptSplit, startsWithLearned } from './prompt.ts';

/** Escape sequences and control characters as they are written inside printf/echo arguments. */
const WRITTEN_ESCAPES =
  /\\(?:033|e|E|x1[bB]|u001[bB])(?:\[[0-9;?]{0,32}[ -/]{0,2}[@-~]|\][^\\]{0,256}\\(?:007|a|033\\\\|e\\\\)|[()][0-9A-Za-z])|\\[rnabtfv]|\\0[0-7]{0,3}/g;
const MAX_SPELLED_CHARS = 16 * 1024;

let lastText = '';
let lastVisible = '';

/** What a command's printf/echo arguments show on the screen, roughly (escapes removed). */
export function spelledText(command: string): string {
  if (command === lastText) return lastVisible;
  const bounded = command.length > MAX_SPELLED_CHARS ? command.slice(0, MAX_SPELLED_CHARS) : command;
  lastText = command;
  lastVisible = bounded.includes('\\') ? bounded.replace(WRITTEN_ESCAPES, '') : bounded;
  return lastVisible;
}

/** Whether `line` (trimmed, at least 3 characters) is text the command spells out itself. */
export function spells(command: string | undefined, line: string): boolean {
  if (command === undefined) return false;
  const whole = line.trim();
  if (whole.length <= 2) return false;
  return command.includes(whole) || spelledText(command).includes(whole);
}

/** Later prompt occurrences tried per line, from its end (each costs a substring search). */
const MAX_PROMPT_TRIES = 8;

/**
 * The input part of a line whose start is the previous command's unterminated output: the last
 * learned prompt occurrence (followed by a space or the line's end) whose preceding text the
 * previous command spells, and where that prompt starts. Null when there is none.
 */
export function afterSpelledOutput(
  line: string,
  previous: string | undefined,
  prompts: readonly string[],
): { at: number; split: PromptSplit } | null {
  if (previous === undefined || prompts.length === 0) return null;
  let best: { at: number; split: PromptSplit } | null = null;
  for (const prompt of prompts) {
    if (prompt.length === 0) continue;
    let tries = 0;
    for (
      let at = line.lastIndexOf(prompt);
      at > 0 && tries < MAX_PROMPT_TRIES;
      at = line.lastIndexOf(prompt, at - 1)
    ) {
      if (best && at <= best.at) break;
      const split = startsWithLearned(line.slice(at), [prompt]);
      if (!split) continue;
      tries++;
      if (!spells(previous, line.slice(0, at))) continue;
      best = { at, split };
      break;
    }
  }
  return best;
}
