/**
 * The CloudWatch form: lines the agent stripped of escape sequences and `\r`, each with its
 * event time (second precision). Each line is written to the emulator as a finished line.
 */
import { CommandExtractor } from '../extractor/extractor.ts';
import { runsFullScreenProgram } from '../fallback/fullscreen.ts';
import { mergeUncertain, UncertainLines } from '../fallback/uncertain.ts';
import { EscapeSanitizer } from '../sanitize/sanitizer.ts';
import { createEmulator, prepareForExtraction, writeNow } from '../screen.ts';
import { DEFAULT_COLS, DEFAULT_START_USER, type ExtractionResult, type ExtractOptions } from '../types.ts';
import { chooseWidth } from '../width/choose.ts';
import { PRESCAN_BYTES, WidthScanner } from '../width/scanner.ts';
import { FullScreenReplay } from './cloudwatch-fullscreen.ts';
import { rewriteSearchLine } from './cloudwatch-search.ts';
import { removeWrapSpaces, wrapWidth } from './cloudwatch-wrap.ts';
import { toCommand } from './command.ts';

const ALT_ENTER = /\x1b\[\?(?:1049|1047|47)h/;
const ALT_LEAVE = /\x1b\[\?(?:1049|1047|47)l/;
/** A control string opened in the line and not closed in it: the terminal swallows what follows. */
const OPEN_STRING = /(?:\x1b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\x07\x1b\u009c]*$/;
/** C1 controls: the agent's stripper never lets them through, so only a forged event has them. */
const C1 = /[\u0080-\u009f]/;
/** The narrowest terminal width worth assuming when the form shows none. */
const NARROW_COLS = 40;
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[^[\]PX^_]?/g;

/**
 * What the agent's CloudWatch stripping may have broken in a line: backspace or cursor-editing
 * redraws (their `\r` and escape sequences are gone), multibyte text turned into U+FFFD, and lines
 * long enough that readline's wrap redraw (`X\rX`) left a doubled character.
 */
function strippedLineLossy(raw: string, visible: string, cols: number): boolean {
  return (
    /[\b\x7f\ufffd]|\x1b\[[0-9;]*[ABCDGHJKPX@]|[^\s]\s+$/.test(raw) ||
    visible.length >= Math.min(cols, DEFAULT_COLS)
  );
}

/**
 * Commands from CloudWatch lines (see cloudWatchLines in src/ingest/transcript.ts). Each command
 * gets its line's event time (second precision) and is marked lossy where stripping hurt it.
 */
export function extractFromCloudWatch(
  lines: Iterable<{ text: string; timestamp: number }>,
  options: ExtractOptions = {},
): ExtractionResult {
  const all = Array.isArray(lines) ? (lines as Array<{ text: string; timestamp: number }>) : [...lines];
  const scanner = options.cols ? null : new WidthScanner();
  if (scanner) {
    const encoder = new TextEncoder();
    let scanned = 0;
    for (const line of all) {
      if (scanned > PRESCAN_BYTES) break;
      const bytes = encoder.encode(`${line.text}\r\n`);
      scanner.feed(bytes);
      scanned += bytes.length;
    }
  }
  const width = chooseWidth(options, scanner);
  // Unknown width: a line as long as the narrowest usual terminal may hold a wrap redraw (`X\rX`).
  const lossyFrom = width.source === 'default' ? NARROW_COLS : width.cols;
  const wrapCols = wrapWidth(
    all.map((line) => line.text),
    width.source === 'default' ? null : width.cols,
  );
  const term = createEmulator(width.cols);
  prepareForExtraction(term);
  let timestamp: number | null = null;
  let offset = 0;
  const extractor = new CommandExtractor(term, width.cols, options.startUser ?? DEFAULT_START_USER, () => ({
    offset,
    timestamp,
  }));
  extractor.strippedForm = true;
  const sanitizer = new EscapeSanitizer({ rows: term.rows, cols: term.cols });
  const trust = (index: number) => extractor.altScreenTrusted(index);
  const uncertain = new UncertainLines(
    () => extractor.promptsSoFar,
    () => extractor.currentUser,
    () => width.cols,
  );
  const encoder = new TextEncoder();
  const replay = new FullScreenReplay(width.cols, term.rows, extractor);
  let fullScreen = false;
  /** The alternate screen was switched on by something that is not a full-screen program. */
  let handSwitched = false;
  for (const line of all) {
    timestamp = line.timestamp;
    let text = wrapCols === null ? line.text : removeWrapSpaces(line.text, wrapCols);
    let kept = text;
    // Text the screen will not show although the shell may have echoed it there.
    let hidden: string | null = null;
    if (text.includes('\x1b')) {
      // Full-screen programs: their screens reach us as lines of text without `\r` and with the
      // switches only where the agent kept a line raw; drop what they drew, keep the shell's part.
      const enter = text.search(ALT_ENTER);
      const leave = text.search(ALT_LEAVE);
      if (leave >= 0 && (enter < 0 || leave > enter)) {
        if (enter >= 0 && runsFullScreenProgram(extractor.lastInputText))
          replay.start(text.slice(enter, leave));
        else if (fullScreen && !handSwitched) replay.line(text.slice(0, leave));
        replay.end('');
        text = text.slice(leave);
        fullScreen = handSwitched = false;
      } else if (enter >= 0) {
        handSwitched = !runsFullScreenProgram(extractor.lastInputText);
        if (handSwitched) hidden = text.slice(enter);
        else replay.start(text.slice(enter));
        text = text.slice(0, enter);
        fullScreen = true;
      } else if (fullScreen && !handSwitched) replay.line(text);
      kept = text;
      if (OPEN_STRING.test(text)) hidden = line.text;
      text = text.replace(ESCAPES, '');
    } else if (fullScreen) {
      if (handSwitched) hidden = text;
      else replay.line(text);
      const prompts = [...extractor.prompts].filter((p) => p.length >= 2);
      if (prompts.some((p) => text.startsWith(p))) fullScreen = handSwitched = false;
      else text = kept = '';
    }
    // Judged on the part the shell wrote: a full-screen program's last redraw before it is gone.
    extractor.lineLossy = strippedLineLossy(kept, text, lossyFrom);
    const searched = text.includes('i-search)') ? rewriteSearchLine(text, [...extractor.prompts]) : null;
    if (searched !== null) {
      text = searched;
      extractor.lineLossy = true;
    }
    const swallowed = sanitizer.inString || sanitizer.suspect.now(trust);
    if (swallowed || C1.test(text)) {
      const start = sanitizer.offset;
      writeNow(term, sanitizer.write(encoder.encode(`${text}\r\n`)));
      if (swallowed || sanitizer.suspect.touched(start, sanitizer.offset, trust)) hidden = line.text;
    } else writeNow(term, `${text}\r\n`);
    if (extractor.takeBeyondReach()) hidden = line.text;
    if (hidden !== null) uncertain.textLine(hidden, offset, true, line.timestamp);
    offset += line.text.length + 1;
  }
  extractor.lineLossy = false;
  extractor.finish();
  const drafts = mergeUncertain(extractor.drafts, uncertain.candidates);
  const commands = drafts.map((d, seq) => toCommand(d, seq, d.pos.timestamp, 'second', true));
  term.dispose();
  replay.dispose();
  return {
    commands,
    cols: width.cols,
    colsSource: width.source,
    prompts: [...extractor.prompts],
    droppedCommands: extractor.droppedCommands,
  };
}
