/**
 * Per-session bounds: a hostile transcript with more commands than any real session must not make
 * extraction keep them all (memory), yet what is kept stays exact and the rest is counted.
 */
import { describe, expect, it } from 'vitest';
import { extractFromBytes } from '../../src/terminal/index.ts';
import { SESSION_MAX_COMMANDS } from '../../src/terminal/types.ts';

const P = (typed: string) => `\x1b[?2004h$ ${typed}\r\n\x1b[?2004l\r`;

describe('per-session bounds', () => {
  it('keeps the first SESSION_MAX_COMMANDS commands and counts the rest', async () => {
    const extra = 25;
    const total = SESSION_MAX_COMMANDS + extra;
    // Built in 1 MiB pieces, streamed like stored chunks.
    const chunks: Uint8Array[] = [];
    let piece = '';
    for (let i = 0; i < total; i++) {
      piece += `${P(`echo ${i}`)}${i}\r\n`;
      if (piece.length > 1 << 20) {
        chunks.push(Buffer.from(piece));
        piece = '';
      }
    }
    chunks.push(Buffer.from(`${piece}${P('exit')}`));
    const result = await extractFromBytes(chunks);
    expect(result.commands).toHaveLength(SESSION_MAX_COMMANDS);
    expect(result.droppedCommands).toBe(extra + 1);
    expect(result.commands[0]!.text).toBe('echo 0');
    expect(result.commands.at(-1)!.text).toBe(`echo ${SESSION_MAX_COMMANDS - 1}`);
    expect(result.commands.at(-1)!.seq).toBe(SESSION_MAX_COMMANDS - 1);
  }, 120_000);
});
