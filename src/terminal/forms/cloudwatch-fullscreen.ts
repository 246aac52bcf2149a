/**
 * CloudWatch form: a full-screen program's drawing (vi, less) replayed on an emulator of its own.
 * The session's emulator never sees it (stripped lines would wreck the shell's screen), but its
 * text matters later: `cat` of the file just edited prints the editor's lines, and a line there
 * that looks like a prompt and a command is output (see extractor/fullscreen-text.ts).
 */
import type { CommandExtractor } from '../extractor/extractor.ts';
import { createEmulator, type Emulator, prepareForExtraction, writeNow } from '../screen.ts';

/** Characters of full-screen drawing replayed per session: past it, screens are not remembered. */
const MAX_REPLAYED_CHARS = 2_000_000;

export class FullScreenReplay {
  private term: Emulator | null = null;
  private open = false;
  private budget = MAX_REPLAYED_CHARS;

  constructor(
    private readonly cols: number,
    private readonly rows: number,
    private readonly extractor: CommandExtractor,
  ) {}

  /** A trusted full-screen program starts: `drawing` begins with its alternate-screen switch. */
  start(drawing: string): void {
    if (this.budget <= 0) return;
    if (!this.term) {
      this.term = createEmulator(this.cols, this.rows, 0);
      prepareForExtraction(this.term);
      this.extractor.watchFullScreen(this.term);
    }
    writeNow(this.term, '\x1bc');
    this.extractor.openFullScreen();
    this.open = true;
    this.write(drawing);
  }

  /** A further line of its drawing (the agent split the stream at `\n` and dropped `\r`). */
  line(drawing: string): void {
    if (this.open) this.write(`\r\n${drawing}`);
  }

  /** The program leaves the alternate screen after `drawing`: its screen is remembered. */
  end(drawing: string): void {
    if (!this.open || !this.term) return;
    this.write(drawing);
    this.open = false;
    if (this.budget > 0) this.extractor.rememberFullScreen(this.term);
  }

  dispose(): void {
    this.term?.dispose();
  }

  private write(drawing: string): void {
    this.budget -= drawing.length;
    if (this.budget < 0) {
      this.open = false;
      return;
    }
    writeNow(this.term!, drawing);
  }
}
