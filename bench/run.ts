/**
 * `npm run bench -- <name> [args]`: runs bench/<name>.ts, whose default export is
 * `(args: string[]) => Promise<void>`. Each benchmark prints its own figures next to the reference
 * it is compared with, measured in the same run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);
if (!name || !existsSync(join(here, `${name}.ts`))) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [args]`);
  process.exit(2);
}
const bench = (await import(join(here, `${name}.ts`))) as { default: (args: string[]) => Promise<void> };
await bench.default(args);
