import { createHash } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BadInputError } from '../../../../src/errors.ts';
import {
  asFileError,
  contentBytes,
  digestFile,
  openLocalFile,
} from '../../../../src/ingest/sources/local/files.ts';
import { tempDir } from '../../harness.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function opened(name: string, content: Buffer, holdUpTo: number) {
  writeFileSync(join(dir.path, name), content);
  const f = await openLocalFile(join(dir.path, name), name, holdUpTo);
  if (!f) throw new Error('not a regular file');
  return f;
}

describe('local file reading', () => {
  it('hashes the file and its inflated content in one streaming pass, held or not', async () => {
    const content = Buffer.from('Script started on 2026-11-28\n'.repeat(100_000));
    const gz = gzipSync(content);
    for (const holdUpTo of [0, 1 << 30]) {
      const f = await opened('a.log.gz', gz, holdUpTo);
      expect(f.whole === null).toBe(holdUpTo === 0);
      const digest = await digestFile(f, 'a.log.gz', 1 << 30);
      expect(digest).toEqual({ version: sha(gz), gzip: true, sha256: sha(content), size: content.length });
      if ('error' in digest) throw digest.error;
      const again: Buffer[] = [];
      for await (const piece of contentBytes(f, digest, 'a.log.gz', 1 << 30)) again.push(piece);
      expect(Buffer.concat(again).equals(content)).toBe(true);
    }
    const plain = await opened('b.log', content, 0);
    expect(await digestFile(plain, 'b.log', 1)).toEqual({
      version: sha(content),
      gzip: false,
      sha256: sha(content),
      size: content.length,
    });
  });

  it('returns content errors with the file version, so the ledger can record them', async () => {
    const cut = gzipSync(Buffer.from('x'.repeat(10_000))).subarray(0, 15);
    const f = await opened('cut.log.gz', cut, 0);
    const digest = await digestFile(f, 'cut.log.gz', 1 << 30);
    expect(digest).toMatchObject({ version: sha(cut), error: { reason: 'corrupt_gzip' } });
    const bomb = gzipSync(Buffer.alloc(1 << 20));
    const big = await digestFile(await opened('bomb.log.gz', bomb, 0), 'bomb.log.gz', 1000);
    expect(big).toMatchObject({ version: sha(bomb), error: { reason: 'too_large' } });
  });

  it('turns filesystem failures into quarantine reasons that name the file', async () => {
    symlinkSync('/proc/self/mem', join(dir.path, 'mem.log'));
    await expect(openLocalFile(join(dir.path, 'mem.log'), 'x/mem.log', 1 << 20)).rejects.toMatchObject({
      reason: 'unreadable',
      message: 'x/mem.log: cannot read (EIO)',
    });
    const errno = (code: string) => Object.assign(new Error('boom'), { code });
    const reasonOf = (err: unknown) => (asFileError(err, 'f') as BadInputError).reason;
    expect(reasonOf(errno('EACCES'))).toBe('unreadable');
    expect(reasonOf(errno('EIO'))).toBe('unreadable');
    expect(reasonOf(errno('ERR_FS_FILE_TOO_LARGE'))).toBe('too_large');
    expect(reasonOf(new RangeError('Invalid string length'))).toBe('too_large');
    // Not about the file: the import stops and says so instead of quarantining everything.
    const emfile = errno('EMFILE');
    expect(asFileError(emfile, 'f')).toBe(emfile);
    const bug = new TypeError('x is undefined');
    expect(asFileError(bug, 'f')).toBe(bug);
  });
});
