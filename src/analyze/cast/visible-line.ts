/**
 * A tiny model of one terminal line, enough to read back what a prompt line showed once the shell
 * echoed the user's typing: printable characters overwrite at the cursor, backspace and cursor
 * moves shift it, erase-in-line cuts, escape and control strings are skipped. It is not an emulator
 * (the extractor has one); the cast only needs to recognise the line a command was entered on.
 * Bounded: past MAX_COLS characters the line stops growing, so a 1 MB line costs nothing more.
 */

const MAX_COLS = 4096;
/** A CSI sequence longer than this is hostile: skipped without parsing further. */
const MAX_CSI_CHARS = 64;

enum State {
  Ground,
  Escape,
  Csi,
  String,
  StringEscape,
}

/** Controls and the characters that start or end escape sequences. */
const SPECIAL = /[\x00-\x1f\x7f-\x9f]/g;

export class VisibleLine {
  private line = '';
  private cursor = 0;
  private state = State.Ground;
  private csi = '';

  /** Feeds decoded terminal text (no newlines: the caller splits lines). */
  feed(text: string): void {
    let i = 0;
    while (i < text.length) {
      if (this.state === State.Ground) {
        // Plain runs (nearly all output) are written at once, not character by character.
        SPECIAL.lastIndex = i;
        const next = SPECIAL.exec(text);
        const end = next ? next.index : text.length;
        if (end > i) this.write(text.slice(i, end));
        if (!next) return;
        this.ground(text[end]!);
        i = end + 1;
        continue;
      }
      const ch = text[i++]!;
      switch (this.state) {
        case State.Escape:
          this.escape(ch);
          break;
        case State.Csi:
          this.csiChar(ch);
          break;
        case State.String:
          if (ch === '\x07') this.state = State.Ground;
          else if (ch === '\x1b') this.state = State.StringEscape;
          break;
        case State.StringEscape:
          this.state = ch === '\\' ? State.Ground : State.String;
          break;
      }
    }
  }

  /** What the line shows now, trailing blanks removed. */
  text(): string {
    return this.line.trimEnd();
  }

  /** Starts a new line; an open control string stays open (it swallows the newline on a terminal). */
  reset(): void {
    this.line = '';
    this.cursor = 0;
    if (this.state !== State.String && this.state !== State.StringEscape) this.state = State.Ground;
  }

  private ground(ch: string): void {
    if (ch === '\x1b') this.state = State.Escape;
    else if (ch === '\b') this.cursor = Math.max(0, this.cursor - 1);
    else if (ch === '\r') this.cursor = 0;
    else if (ch === '\t') this.cursor = Math.min(MAX_COLS, (Math.floor(this.cursor / 8) + 1) * 8);
  }

  /** Printable text at the cursor, overwriting what is there; nothing past MAX_COLS. */
  private write(run: string): void {
    if (this.cursor >= MAX_COLS) return;
    const room = run.length > MAX_COLS - this.cursor ? run.slice(0, MAX_COLS - this.cursor) : run;
    if (this.cursor === this.line.length) this.line += room;
    else {
      const before =
        this.line.length < this.cursor ? this.line.padEnd(this.cursor) : this.line.slice(0, this.cursor);
      this.line = before + room + this.line.slice(this.cursor + room.length);
    }
    this.cursor += room.length;
  }

  private escape(ch: string): void {
    if (ch === '[') {
      this.state = State.Csi;
      this.csi = '';
    } else if (ch === ']' || ch === 'P' || ch === '_' || ch === '^' || ch === 'X') this.state = State.String;
    else this.state = State.Ground;
  }

  private csiChar(ch: string): void {
    const code = ch.charCodeAt(0);
    if (code >= 0x40 && code <= 0x7e) {
      this.state = State.Ground;
      this.applyCsi(ch, this.csi);
      return;
    }
    if (this.csi.length < MAX_CSI_CHARS) this.csi += ch;
  }

  private applyCsi(final: string, params: string): void {
    const n = Math.min(MAX_COLS, Math.max(1, Number.parseInt(params, 10) || 1));
    switch (final) {
      case 'D':
        this.cursor = Math.max(0, this.cursor - n);
        break;
      case 'C':
        this.cursor = Math.min(MAX_COLS, this.cursor + n);
        break;
      case 'G':
        this.cursor = Math.min(MAX_COLS, n - 1);
        break;
      case 'K':
        if (params === '' || params === '0') this.line = this.line.slice(0, this.cursor);
        else if (params === '2') this.line = '';
        break;
      case 'P':
        this.line = this.line.slice(0, this.cursor) + this.line.slice(this.cursor + n);
        break;
      case '@':
        if (this.cursor < this.line.length)
          this.line = (this.line.slice(0, this.cursor) + ' '.repeat(n) + this.line.slice(this.cursor)).slice(
            0,
            MAX_COLS,
          );
        break;
    }
  }
}
