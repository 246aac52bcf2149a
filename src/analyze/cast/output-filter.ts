/**
 * What the cast passes to the browser's player from attacker-written output: control strings (OSC,
 * DCS, APC, PM, SOS) are dropped whole, so OSC 8 hyperlinks (`javascript:` targets), OSC 52
 * clipboard writes and title changes never reach the player; C1 controls are dropped; CSI counts
 * are clamped so one `ESC[999999999@` cannot keep the player busy. Text and ordinary colour and
 * cursor sequences pass unchanged. Streaming: state carries across pieces, memory is constant.
 */

/** No screen the player shows is wider or taller than this. */
const MAX_PARAM = 9999;
const MAX_CSI_CHARS = 64;

enum State {
  Ground,
  Escape,
  Csi,
  String,
  StringEscape,
}

export class OutputFilter {
  private state = State.Ground;
  private csi = '';

  /** Filters one piece of decoded output; returns what may be shown. */
  write(text: string): string {
    if (this.state === State.Ground && !/[\x1b\x80-\x9f]/.test(text)) return text;
    let out = '';
    for (const ch of text) out += this.step(ch);
    return out;
  }

  private step(ch: string): string {
    const code = ch.charCodeAt(0);
    switch (this.state) {
      case State.Ground:
        if (ch === '\x1b') {
          this.state = State.Escape;
          return '';
        }
        return code >= 0x80 && code <= 0x9f ? '' : ch;
      case State.Escape:
        if (ch === '[') {
          this.state = State.Csi;
          this.csi = '';
          return '';
        }
        if (ch === ']' || ch === 'P' || ch === '_' || ch === '^' || ch === 'X') {
          this.state = State.String;
          return '';
        }
        this.state = State.Ground;
        return code >= 0x20 && code < 0x7f ? `\x1b${ch}` : '';
      case State.Csi:
        if (code >= 0x40 && code <= 0x7e) {
          this.state = State.Ground;
          return this.csi.length >= MAX_CSI_CHARS ? '' : `\x1b[${clampParams(this.csi)}${ch}`;
        }
        if (code < 0x20 || code > 0x7e) {
          // A control or non-ASCII byte ends the sequence here: drop it, keep the character.
          this.state = State.Ground;
          return code < 0x20 && code !== 0x1b ? ch : '';
        }
        if (this.csi.length < MAX_CSI_CHARS) this.csi += ch;
        return '';
      case State.String:
        if (ch === '\x07') this.state = State.Ground;
        else if (ch === '\x1b') this.state = State.StringEscape;
        return '';
      case State.StringEscape:
        this.state = ch === '\\' ? State.Ground : State.String;
        return '';
    }
  }
}

function clampParams(params: string): string {
  return params.replace(/\d+/g, (digits) => (Number(digits) > MAX_PARAM ? String(MAX_PARAM) : digits));
}
