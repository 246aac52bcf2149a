/**
 * Loads Sigma rules from the built-in pack and from user directories (a SigmaHQ checkout works
 * unmodified). Every document ends in exactly one of: loaded, skipped (with the reason), or not
 * applicable (a log source shelltrail does not see). Multi-document files and the legacy
 * `action: global / reset / repeat` collections are understood.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Document,
  isScalar,
  isSeq,
  isMap as isYamlMap,
  LineCounter,
  type Node,
  parseAllDocuments,
} from 'yaml';
import { type CompiledDetection, compileDetection, type RuleKind } from './compile.ts';
import { UnsupportedRule } from './errors.ts';

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export interface LoadedRule {
  id: string;
  title: string;
  level: Level;
  tags: string[];
  author?: string;
  falsepositives?: string[];
  /** File (and document number when the file holds several). */
  source: string;
  /** Line of the rule's document in that file (1-based). */
  line?: number;
  kind: RuleKind;
  detection: CompiledDetection;
}

/**
 * Report entries name the file in `source` and, for anything inside a YAML document, the 1-based
 * `line` of the offending key (or of the document when no key is to blame): `rules check` prints
 * `file:line: reason`. Only whole-file problems (unreadable, too large) have no line.
 */
export interface LoadReport {
  loaded: number;
  skipped: { source: string; line?: number; id?: string; title?: string; reason: string }[];
  notApplicable: { source: string; line?: number; id?: string; title?: string; logsource: string }[];
}

/** `file:line`, or just the file when the entry has no line. */
export function location(entry: { source: string; line?: number }): string {
  return entry.line === undefined ? entry.source : `${entry.source}:${entry.line}`;
}

export interface LoadOptions {
  builtin: boolean;
  dirs: string[];
}

const MAX_FILE_BYTES = 1024 * 1024;
export const builtinDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');

type Doc = Record<string, unknown>;

function isMap(v: unknown): v is Doc {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function merge(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k] as Doc, v) : v;
  return out;
}

/** Files with a .yml/.yaml suffix under `dir`, recursively, in a stable order. */
function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...ruleFiles(path));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(path);
  }
  return out;
}

/** The rule kind for a log source, or null when shelltrail does not see that log. */
function ruleKind(logsource: unknown): RuleKind | null {
  if (!isMap(logsource)) return null;
  const product = String(logsource.product ?? '').toLowerCase();
  if (product !== 'linux') return null;
  if (logsource.category === undefined && logsource.service === undefined) return 'keyword';
  if (
    String(logsource.category ?? '').toLowerCase() === 'process_creation' &&
    logsource.service === undefined
  )
    return 'process';
  return null;
}

function describeLogsource(logsource: unknown): string {
  if (!isMap(logsource)) return 'none';
  return ['product', 'category', 'service']
    .flatMap((k) => (logsource[k] === undefined ? [] : [`${k}: ${String(logsource[k])}`]))
    .join(', ');
}

function toStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)];
}

/** Finds the line of a key path inside one parsed YAML document. */
type LineOf = (path: readonly (string | number)[]) => number;

/**
 * The line of the deepest part of `path` present in `doc`: a map key's own line, a list item's
 * line. A path that leaves the document (a key merged in from an `action: global` document) stops
 * at the last part found, at worst the document's first line.
 */
function lineFinder(doc: Document.Parsed, lines: LineCounter): LineOf {
  const start = doc.contents?.range[0] ?? doc.range[0];
  return (path) => {
    let node: unknown = doc.contents;
    let offset = start;
    for (const part of path) {
      if (isYamlMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
        if (!pair || !isScalar(pair.key) || !pair.key.range) break;
        offset = pair.key.range[0];
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part] as Node | undefined;
        if (!item?.range) break;
        offset = item.range[0];
        node = item;
      } else break;
    }
    return lines.linePos(offset).line;
  };
}

/** Adds one rule document's outcome to `rules` / `report`. */
function addDocument(
  doc: Doc,
  source: string,
  file: string,
  lineOf: LineOf,
  rules: LoadedRule[],
  report: LoadReport,
  seen: Set<string>,
): void {
  const id = typeof doc.id === 'string' ? doc.id : undefined;
  const title = typeof doc.title === 'string' ? doc.title : undefined;
  const named = { source: file, ...(id ? { id } : {}), ...(title ? { title } : {}) };
  if (doc.correlation !== undefined) {
    report.notApplicable.push({
      ...named,
      line: lineOf([]),
      logsource: 'correlation rule (scheduled alerts)',
    });
    return;
  }
  const kind = ruleKind(doc.logsource);
  if (kind === null) {
    report.notApplicable.push({
      ...named,
      line: lineOf(['logsource']),
      logsource: describeLogsource(doc.logsource),
    });
    return;
  }
  const skip = (reason: string, path: readonly (string | number)[] = []): void => {
    report.skipped.push({ ...named, line: lineOf(path), reason });
  };
  if (!id) {
    skip('no id', ['id']);
    return;
  }
  if (!title) {
    skip('no title', ['title']);
    return;
  }
  if (seen.has(id)) {
    skip('duplicate id', ['id']);
    return;
  }
  if (doc.status === 'deprecated' || doc.status === 'unsupported') {
    skip(`status ${String(doc.status)}`, ['status']);
    return;
  }
  const level = String(doc.level ?? 'medium').toLowerCase() as Level;
  if (!LEVELS.includes(level)) {
    skip(`unknown level "${String(doc.level)}"`, ['level']);
    return;
  }
  try {
    const detection = compileDetection(doc.detection, kind);
    const rule: LoadedRule = {
      id,
      title,
      level,
      tags: toStrings(doc.tags),
      source,
      line: lineOf([]),
      kind,
      detection,
    };
    if (typeof doc.author === 'string') rule.author = doc.author;
    if (doc.falsepositives !== undefined) rule.falsepositives = toStrings(doc.falsepositives);
    rules.push(rule);
    seen.add(id);
    report.loaded++;
  } catch (error) {
    if (!(error instanceof UnsupportedRule)) throw error;
    skip(`unsupported: ${error.message}`, error.path);
  }
}

/** Loads every rule document in one YAML text (`source` names it in the report). */
export function loadRuleText(
  text: string,
  source: string,
  rules: LoadedRule[],
  report: LoadReport,
  seen = new Set<string>(),
): void {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines });
  const many = Array.isArray(docs) && docs.length > 1;
  let global: Doc = {};
  let previous: Doc | null = null;
  (Array.isArray(docs) ? docs : [docs]).forEach((d, i) => {
    const where = many ? `${source}#${i + 1}` : source;
    const lineOf = lineFinder(d, lines);
    if (d.errors.length > 0) {
      const error = d.errors[0]!;
      report.skipped.push({
        source,
        line: error.linePos?.[0]?.line ?? lineOf([]),
        reason: `YAML error: ${error.message.split('\n')[0]}`,
      });
      return;
    }
    // Alias expansion is capped so a hostile file cannot blow up memory (billion laughs).
    const value: unknown = d.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    if (!isMap(value)) {
      report.skipped.push({ source, line: lineOf([]), reason: 'document is not a map' });
      return;
    }
    const { action, ...body } = value;
    if (action === 'global') global = merge(global, body);
    else if (action === 'reset') global = {};
    else {
      previous = action === 'repeat' && previous ? merge(previous, body) : merge(global, body);
      addDocument(previous, where, source, lineOf, rules, report, seen);
    }
  });
}

/** Loads the built-in pack and/or rule directories. Unreadable files are reported, not thrown. */
export function loadRules(options: LoadOptions): { rules: LoadedRule[]; report: LoadReport } {
  const rules: LoadedRule[] = [];
  const report: LoadReport = { loaded: 0, skipped: [], notApplicable: [] };
  const seen = new Set<string>();
  const dirs = [...(options.builtin ? [builtinDir] : []), ...options.dirs];
  for (const dir of dirs) {
    let files: string[];
    try {
      files = statSync(dir).isDirectory() ? ruleFiles(dir) : [dir];
    } catch (error) {
      report.skipped.push({
        source: dir,
        reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      });
      continue;
    }
    for (const file of files) {
      try {
        if (statSync(file).size > MAX_FILE_BYTES) {
          report.skipped.push({ source: file, reason: 'file larger than 1 MB' });
          continue;
        }
        loadRuleText(readFileSync(file, 'utf8'), file, rules, report, seen);
      } catch (error) {
        report.skipped.push({
          source: file,
          reason: `cannot load: ${(error as Error).message.split('\n')[0]}`,
        });
      }
    }
  }
  return { rules, report };
}
