/**
 * Lists what a local import reads: every regular file under a folder (or the file itself), in a
 * stable (sorted) order. Symlinks to files are followed; symlinks to folders are not (no loops).
 * Nothing here opens a file, so a FIFO or a device in the folder cannot block or flood the walk.
 */
import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

export interface WalkEntry {
  relPath: string;
  absPath: string;
  /** Why this entry is not read: a FIFO, socket or device, or a symlink to a folder. */
  skip?: 'not_regular' | 'symlinked_folder';
  /** The filesystem error met while listing or resolving it (a dangling symlink, a folder that cannot be listed). */
  error?: NodeJS.ErrnoException;
}

/** @example const { entries } = await walk('/data/trail-copy'); */
export async function walk(root: string): Promise<{ base: string; entries: WalkEntry[] }> {
  const rootStat = await stat(root);
  if (!rootStat.isDirectory()) {
    const base = dirname(root);
    return { base, entries: [entryOf(base, root, rootStat)] };
  }
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
      else if (e.isSymbolicLink()) entries.push(await resolveLink(root, path));
      else entries.push({ ...paths(root, path), skip: 'not_regular' });
    }
  };
  await visit(root);
  return { base: root, entries };
}

async function resolveLink(root: string, path: string): Promise<WalkEntry> {
  try {
    const target = await stat(path);
    if (target.isDirectory()) return { ...paths(root, path), skip: 'symlinked_folder' };
    return entryOf(root, path, target);
  } catch (err) {
    return { ...paths(root, path), error: asErrno(err) };
  }
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
