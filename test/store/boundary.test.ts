/**
 * The store boundary, checked on every `npm test`: SQLite (better-sqlite3, drizzle, SQL text) lives
 * only in src/store/sqlite/, and nothing outside src/store/ reaches into the dialect, so a second
 * dialect is one new folder. biome's noRestrictedImports (biome.json) says the same for imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const outsideDialect = sourceFiles(join(root, 'src'))
  .map((f) => relative(root, f))
  .filter((f) => !f.startsWith('src/store/sqlite/'));

/** SQL statements as they appear in code: upper-case keywords followed by what they act on. */
const SQL =
  /\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIRTUAL)|PRAGMA\s+\w+)|\.prepare\(/;
const DRIVER = /from\s+['"](better-sqlite3|drizzle-orm[^'"]*)['"]/;

describe('store boundary', () => {
  it('no file outside src/store/sqlite/ imports better-sqlite3 or drizzle', () => {
    const offenders = outsideDialect.filter((f) => DRIVER.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('no file outside src/store/sqlite/ writes SQL', () => {
    const offenders = outsideDialect.filter((f) => SQL.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('only src/store/index.ts reaches into the dialect folder', () => {
    const offenders = outsideDialect.filter(
      (f) =>
        f !== 'src/store/index.ts' && /from\s+['"][^'"]*\/sqlite\//.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('the checks see SQL and driver imports where they are allowed (they cannot pass vacuously)', () => {
    const dialect = sourceFiles(join(root, 'src', 'store', 'sqlite')).map((f) => readFileSync(f, 'utf8'));
    expect(dialect.some((text) => SQL.test(text))).toBe(true);
    expect(dialect.some((text) => DRIVER.test(text))).toBe(true);
  });
});
