/**
 * The session's commands, read page by page in seq order, with a small look-ahead window: the cast
 * places each command's marker on the line it was entered on, and when a line matches a command a
 * few places ahead (the ones before it left no recognisable echo), the skipped ones are marked there
 * too, so every command gets exactly one marker, in order, without holding all of them.
 */
import type { Page, PageRequest } from '../../store/index.ts';

/** The fields of a stored command the cast reads. */
export interface CastCommand {
  seq: number;
  text: string;
  at: number | null;
  atPrecision: string | null;
}

export type CommandPages = (page: PageRequest) => Promise<Page<CastCommand>>;

/** How many commands ahead a line may match. */
const LOOKAHEAD = 4;
const PAGE = 1000;
/** A prompt ends with one of these before the space the user types after. */
const PROMPT_END = /[$#>%:\]\u276f\u00bb\u03bb)]\s*$/u;

export class CommandQueue {
  private readonly window: CastCommand[] = [];
  /** The window's first lines, computed once per command rather than once per output line. */
  private readonly heads: string[] = [];
  private cursor: string | null = null;
  private exhausted = false;

  constructor(private readonly pages: CommandPages) {}

  /**
   * The commands a completed line ends (the window must be `ready()`): the first one in the window whose first line the visible
   * line ends with, after a prompt, plus every command before it. Empty when the line matches none.
   */
  matchLine(visible: string): CastCommand[] {
    const line = visible.replace(/\^C$/, '').trimEnd();
    if (line === '') return [];
    for (let i = 0; i < this.window.length; i++) {
      if (endsWithCommand(line, this.heads[i]!)) {
        this.heads.splice(0, i + 1);
        return this.window.splice(0, i + 1);
      }
    }
    return [];
  }

  /** Whether the look-ahead window is full (or every command is in it): `matchLine` may run. */
  ready(): boolean {
    return this.exhausted || this.window.length >= LOOKAHEAD;
  }

  /** Reads pages until the window is full; call when `ready()` is false (once per page, not per line). */
  async fillWindow(): Promise<void> {
    await this.fill(LOOKAHEAD);
  }

  /** Every command not yet marked, page by page (markers for the end of the cast). */
  async *rest(): AsyncGenerator<CastCommand> {
    for (;;) {
      await this.fill(1);
      this.heads.shift();
      const next = this.window.shift();
      if (!next) return;
      yield next;
    }
  }

  private async fill(size: number): Promise<void> {
    while (this.window.length < size && !this.exhausted) {
      const page = await this.pages({ limit: PAGE, cursor: this.cursor });
      this.window.push(...page.items);
      this.heads.push(...page.items.map((c) => firstLine(c.text)));
      this.cursor = page.nextCursor;
      if (!page.nextCursor) this.exhausted = true;
    }
  }
}

/** The first line of a command, trimmed: what its prompt line shows. */
export function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return (newline < 0 ? text : text.slice(0, newline)).trim();
}

function endsWithCommand(line: string, head: string): boolean {
  if (head === '' || !line.endsWith(head)) return false;
  const prompt = line.slice(0, line.length - head.length);
  return prompt !== '' && PROMPT_END.test(prompt) && /\s$/.test(prompt);
}
