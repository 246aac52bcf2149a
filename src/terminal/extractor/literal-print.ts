/**
 * Commands whose whole output is written in their own text: `printf` or `echo` with only literal
 * arguments. Nothing else can come out of them (no expansion, glob, redirection or second command),
 * so a prompt line after such a command's output, which its text does not spell, is not its output:
 * it is the shell's next prompt (issue 10 class 1, the CloudWatch form, where no prompt colours
 * are left to verify it).
 */

const MAX_CHARS = 4096;
const PRINTERS = /^(?:printf|echo)(?:\s|$)/;

/** Whether `command` is printf/echo whose arguments are all literal (quotes and `\` escapes only). */
export function printsOnlyItsText(command: string): boolean {
  if (command.length > MAX_CHARS || !PRINTERS.test(command)) return false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '$' || c === '`' || c === '\n') return false;
    if (quote === '"') {
      if (c === '"') quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (';|&<>()*?[~{#'.includes(c)) return false;
  }
  return quote === null;
}
