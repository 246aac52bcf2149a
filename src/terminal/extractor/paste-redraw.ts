/**
 * Multi-line pastes in the stripped (CloudWatch) form. Readline first draws a pasted block
 * highlighted, then moves the cursor up (`ESC[A`) and redraws it from the prompt on. The agent
 * removes the `\r` and cursor moves, so the redraw's first row lands after the block's last line:
 *
 *     user@host:~$ echo one          <- the input line (pending)
 *     echo two
 *     ls /etc/hostnameuser@host:~$ echo one
 *     echo two                       <- the redraw again
 *     ls /etc/hostname
 *
 * The block the shell read is the input line's text, the lines between, and the glued line's head.
 */

/** Lines between the input line and its redraw that still make a paste (bounded work). */
const MAX_BLOCK_LINES = 200;

/**
 * The pasted block's lines when `line` is the redraw glued to the block's last line, else null.
 * `inputLine`: the pending input line as shown (prompt and text); `between`: lines since it.
 */
export function pasteBlock(
  inputLine: string,
  text: string,
  between: readonly string[],
  line: string,
): string[] | null {
  if (between.length > MAX_BLOCK_LINES || inputLine.includes('\n')) return null;
  if (line.length <= inputLine.length || !line.endsWith(inputLine)) return null;
  return [text, ...between, line.slice(0, line.length - inputLine.length)];
}
