/**
 * Lists what a local import reads: every regular file under a folder (or the file itself), in a
 * stable (sorted) order. A symlink is followed only to a regular file inside the folder (read through
 * its resolved path); one that leads out of the folder, or into /proc, /sys or /dev, is refused and
 * said so: the folder's author does not get to make the importer read its environment, its memory
 * or another user's files. Symlinks to folders are not followed (no loops). Nothing here opens a
 * file, so a FIFO or a device in the folder cannot block or flood the walk.
 */
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

export interface WalkEntry {
  relPath: string;
  absPath: string;
  /**
   * Why this entry is not read: a FIFO, socket or device; a symlink to a folder; a symlink that leads
   * out of the imported folder; a file of /proc, /sys or /dev (whatever led there).
   */
  skip?: 'not_regular' | 'symlinked_folder' | 'symlink_outside' | 'special_filesystem';
  /** The filesystem error met while listing or resolving it (a dangling symlink, a folder that cannot be listed). */
  error?: NodeJS.ErrnoException;
}

/** @example const { entries } = await walk('/data/trail-copy'); */
export async function walk(root: string): Promise<{ base: string; entries: WalkEntry[] }> {
  const rootStat = await stat(root);
  if (!rootStat.isDirectory()) {
    const base = dirname(root);
    // The file the user named, even through a link; but never a kernel file behind one.
    const real = await realpath(root);
    if (isSpecialPath(real)) return { base, entries: [{ ...paths(base, root), skip: 'special_filesystem' }] };
    return { base, entries: [{ ...entryOf(base, root, rootStat), absPath: real }] };
  }
  const rootReal = await realpath(root);
  const entries: WalkEntry[] = [];
  const visit = async (dir: string) => {
    let listed: Dirent[];
    try {
      listed = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === root) throw err;
      entries.push({ ...paths(root, dir), relPath: `${paths(root, dir).relPath}/`, error: asErrno(err) });
      return;
    }
    listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of listed) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await visit(path);
      else if (e.isFile()) entries.push(paths(root, path));
      else if (e.isSymbolicLink()) entries.push(await resolveLink(root, rootReal, path));
      else entries.push({ ...paths(root, path), skip: 'not_regular' });
    }
  };
  await visit(root);
  return { base: root, entries };
}

async function resolveLink(root: string, rootReal: string, path: string): Promise<WalkEntry> {
  try {
    const real = await realpath(path);
    if (isSpecialPath(real)) return { ...paths(root, path), skip: 'special_filesystem' };
    if (real !== rootReal && !real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep))
      return { ...paths(root, path), skip: 'symlink_outside' };
    const target = await stat(real);
    if (target.isDirectory()) return { ...paths(root, path), skip: 'symlinked_folder' };
    // Read through the resolved path: the link itself may be swapped once listed.
    return { ...entryOf(root, path, target), absPath: real };
  } catch (err) {
    return { ...paths(root, path), error: asErrno(err) };
  }
}

/** Kernel and device filesystems: nothing there is evidence, and reading some of it has effects. */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

function isSpecialPath(real: string): boolean {
  return SPECIAL_ROOTS.some((r) => real === r || real.startsWith(`${r}/`));
}

function entryOf(base: string, path: string, s: Stats): WalkEntry {
  return s.isFile() ? paths(base, path) : { ...paths(base, path), skip: 'not_regular' };
}

function paths(base: string, absPath: string): { relPath: string; absPath: string } {
  return { relPath: relative(base, absPath).split(sep).join('/'), absPath };
}

function asErrno(err: unknown): NodeJS.ErrnoException {
  if (err instanceof Error) return err as NodeJS.ErrnoException;
  return new Error(String(err));
}
