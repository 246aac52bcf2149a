/**
 * The one JSON writer of the CLI's `--json` output. JSON.stringify escapes C0 controls but leaves
 * DEL, the C1 controls (U+0080-U+009F, among them U+009B, a one-byte CSI on many terminals), the
 * bidi marks (U+202A-U+202E, U+2066-U+2069: Trojan Source) and the line separators raw; output
 * piped to a terminal or pasted into a report must not carry them. They can only occur inside JSON
 * strings, so writing them as `\u` escapes keeps the document equal to what was stringified.
 */
import { writeLine } from './context.ts';

// Everything JSON.stringify leaves raw that a terminal or a text viewer would act on.
const UNSAFE_IN_JSON = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text (indented by 2, or on one line with `indent` null) with every control and bidi mark
 * escaped.
 *
 * @example jsonText({ command: 'echo \u202e' }) // '{\n  "command": "echo \\u202e"\n}'
 */
export function jsonText(value: unknown, indent: number | null = 2): string {
  const text = JSON.stringify(value, null, indent ?? undefined) ?? 'null';
  return text.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes `value` as safe JSON (jsonText) and a newline. */
export function writeJson(stream: NodeJS.WritableStream, value: unknown, indent: number | null = 2): void {
  writeLine(stream, jsonText(value, indent));
}
