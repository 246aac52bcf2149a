/**
 * The process logger: pino, JSON lines when stderr is not a terminal (for log shippers), a short
 * readable line when it is. Callers pass fields, never command text, tokens or codes.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export function createLogger(out: NodeJS.WritableStream & { isTTY?: boolean }, level = 'info'): Logger {
  if (!out.isTTY) return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, out);
  const readable = new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        const { time, level: _l, msg, ...rest } = JSON.parse(chunk.toString()) as Record<string, unknown>;
        const fields = Object.entries(rest)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        out.write(`${String(time).slice(11, 19)} ${msg}${fields ? ` ${fields}` : ''}\n`);
      } catch {
        out.write(chunk);
      }
      done();
    },
  });
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, readable);
}
