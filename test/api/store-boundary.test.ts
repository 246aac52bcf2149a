/**
 * Roles are enforced in one layer (src/api/scoped-store.ts): a route module or page that reached
 * the store another way could bypass them. The check reads the modules with the TypeScript
 * compiler, not with patterns over their text, so no spelling slips past it: it fails when a file
 * under src/api/routes or src/web
 * - has any value (a variable, parameter, property, destructured name, cast, call result) whose
 *   type is the unscoped `Store` interface (`deps.store`, `const { store } = deps`,
 *   `deps['store']`, `const d = deps; d.store`, `await openStore(...)`, `x as Store` alike);
 * - imports a value (not a type) from the store's modules or SQLite's, statically or with
 *   `import()` / `require()` (a computed module name counts too);
 * - names `openStore` outside a type.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const STORE_INDEX = join(ROOT, 'src/store/index.ts');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Modules a route or page may import types from but never values. */
function isStoreModule(specifier: string, importer: string): boolean {
  if (/^(better-sqlite3|drizzle-orm|drizzle-kit)(\/|$)/.test(specifier)) return true;
  if (!specifier.startsWith('.')) return false;
  const target = resolve(dirname(importer), specifier);
  return target.startsWith(join(ROOT, 'src/store'));
}

/**
 * Type-checks `files` (paths under ROOT) plus `virtual` files (path -> text, for the fixtures) as
 * one program, and returns each file's offences (`line: why`).
 */
function offences(files: string[], virtual: Record<string, string> = {}): Record<string, string[]> {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(
    ts.readConfigFile(configPath, ts.sys.readFile).config,
    ts.sys,
    ROOT,
  );
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name in virtual ? ts.createSourceFile(name, virtual[name]!, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name in virtual || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => virtual[name] ?? readFile(name);
  const roots = [...files, ...Object.keys(virtual)];
  const program = ts.createProgram({ rootNames: roots, options: config.options, host });
  const checker = program.getTypeChecker();
  const storeSymbol = program
    .getSourceFile(STORE_INDEX)
    ?.statements.find(
      (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Store',
    );
  if (!storeSymbol) throw new Error('the Store interface is not where this check expects it');
  const storeType = checker.getTypeAtLocation(storeSymbol.name);
  /** Whether `type` is the unscoped Store, or a promise / union of it. */
  const isStore = (type: ts.Type): boolean => {
    if (type === storeType || type.getSymbol() === storeType.getSymbol()) return true;
    if (type.isUnion()) return type.types.some(isStore);
    const awaited = checker.getAwaitedType(type);
    return awaited !== undefined && awaited !== type && isStore(awaited);
  };
  const result: Record<string, string[]> = {};
  for (const name of roots) {
    const source = program.getSourceFile(name)!;
    const found: string[] = [];
    const report = (node: ts.Node, why: string) => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${line + 1}: ${why}`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node)) {
        const from = (node.moduleSpecifier as ts.StringLiteral).text;
        const clause = node.importClause;
        const valueBinding =
          !clause ||
          (!clause.isTypeOnly &&
            (clause.name !== undefined ||
              (clause.namedBindings !== undefined &&
                (ts.isNamespaceImport(clause.namedBindings) ||
                  clause.namedBindings.elements.some((e) => !e.isTypeOnly)))));
        if (isStoreModule(from, name) && valueBinding) report(node, `imports a value from ${from}`);
        return;
      }
      if (ts.isImportEqualsDeclaration(node) && !node.isTypeOnly) {
        report(node, 'import = require(...)');
        return;
      }
      if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      if (ts.isCallExpression(node)) {
        const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
        const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
        if (dynamic || required) {
          const arg = node.arguments[0];
          if (!arg || !ts.isStringLiteralLike(arg)) report(node, 'imports a computed module name');
          else if (isStoreModule(arg.text, name)) report(node, `imports ${arg.text} at run time`);
        }
      }
      if (ts.isIdentifier(node) && node.text === 'openStore') report(node, 'names openStore');
      if (ts.isExpression(node) || ts.isIdentifier(node) || ts.isBindingElement(node)) {
        if (isStore(checker.getTypeAtLocation(node)))
          report(node, `\`${node.getText(source).slice(0, 60)}\` is the unscoped store`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    // One offence per line is enough to read (an expression and its parts all have the type).
    const byLine = new Map(found.reverse().map((f) => [f.split(':')[0], f]));
    result[name.slice(ROOT.length + 1)] = [...byLine.values()].reverse();
  }
  return result;
}

/** Fixture modules as if they were route modules (their imports resolve like the real ones). */
const FIXTURE_HEADER = `import type { ApiDeps } from '../types.ts';\nimport type { Store } from '../../store/index.ts';\n`;
const FIXTURES: Record<string, { body: string; caught: boolean }> = {
  destructured: {
    body: 'export const f = (deps: ApiDeps) => { const { store } = deps; return store.sessions; };',
    caught: true,
  },
  renamed: {
    body: 'export const f = (deps: ApiDeps) => { const { store: s } = deps; return s; };',
    caught: true,
  },
  parameter: { body: 'export const f = ({ store }: ApiDeps) => store.tokens.list();', caught: true },
  dotted: { body: 'export const f = (deps: ApiDeps) => deps.store.sessions.list();', caught: true },
  bracketed: { body: "export const f = (deps: ApiDeps) => deps['store'].sessions.list();", caught: true },
  aliased: { body: 'export const f = (deps: ApiDeps) => { const d = deps; return d.store; };', caught: true },
  spread: {
    body: 'export const f = (deps: ApiDeps) => { const { config, ...rest } = deps; return rest.store; };',
    caught: true,
  },
  cast: { body: 'export const f = (x: unknown) => (x as Store).sessions;', caught: true },
  opened: {
    body: "import { openStore } from '../../store/index.ts';\nexport const f = () => openStore('x');",
    caught: true,
  },
  dynamic: {
    body: "export const f = async () => (await import('../../store/index.ts')).openStore('x');",
    caught: true,
  },
  computed: { body: 'export const f = async (m: string) => import(m);', caught: true },
  sqlite: {
    body: "import Database from 'better-sqlite3';\nexport const f = () => new Database(':memory:');",
    caught: true,
  },
  // What routes do: the role-scoped store from the request context, types from the store, config.
  scoped: {
    body:
      "import type { Context } from 'hono';\nimport type { AppEnv } from '../types.ts';\n" +
      "export const f = (c: Context<AppEnv>, deps: ApiDeps) => { const store = c.var.store; const { config } = deps; type S = Store['sessions']; return [store.sessions.list({}), config, c.get('store'), deps.now()] as const; };",
    caught: false,
  },
};

describe('store boundary', () => {
  const fixturePath = (name: string) => join(ROOT, `src/api/routes/__boundary_fixture_${name}.ts`);
  let real: Record<string, string[]>;
  let fixtures: Record<string, string[]>;
  beforeAll(() => {
    const files = [...filesUnder(join(ROOT, 'src/api/routes')), ...filesUnder(join(ROOT, 'src/web'))];
    expect(files.length).toBeGreaterThan(5);
    const virtual = Object.fromEntries(
      Object.entries(FIXTURES).map(([name, f]) => [fixturePath(name), FIXTURE_HEADER + f.body]),
    );
    // One program for both: type-checking the app's modules is the slow part.
    const all = offences(files, virtual);
    real = Object.fromEntries(Object.entries(all).filter(([f]) => !f.includes('__boundary_fixture_')));
    fixtures = Object.fromEntries(
      Object.keys(FIXTURES).map((name) => [name, all[fixturePath(name).slice(ROOT.length + 1)] ?? []]),
    );
  }, 300_000);

  it('the check itself catches every way around the role-scoped layer, and passes what routes do', () => {
    const caught = Object.fromEntries(
      Object.entries(fixtures).map(([name, found]) => [name, found.length > 0]),
    );
    expect(caught).toEqual(Object.fromEntries(Object.entries(FIXTURES).map(([name, f]) => [name, f.caught])));
    expect(fixtures.destructured!.join()).toMatch(/unscoped store/);
    expect(fixtures.sqlite!.join()).toMatch(/better-sqlite3/);
  });

  it('no route module or page reaches the store except through the role-scoped layer', () => {
    expect(Object.entries(real).filter(([, found]) => found.length > 0)).toEqual([]);
  });
});
