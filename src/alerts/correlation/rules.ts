/**
 * Scheduled rules as Sigma correlation rules: base rules over shelltrail's log sources
 * (`logsource: {product: shelltrail, service: commands|sessions|attempts|findings}`) and
 * correlation documents (`event_count`, `value_count`, `temporal`) that name them, with
 * `group-by`, `timespan` and a condition (`gte`, `gt`, `lte`, `lt`, `eq`, `range`). `schedule` (a
 * shelltrail extension, cron syntax, default every 5 minutes) says when each runs. Anything else is
 * reported and skipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { compileDetection, indexFields } from '../../detect/sigma/compile.ts';
import { LEVELS, type Level } from '../../detect/sigma/index.ts';
import { type Cron, parseCron } from '../cron.ts';
import { LOG_SOURCES, type LogSource } from './sources.ts';

export interface BaseRule {
  id: string;
  name: string | null;
  source: LogSource;
  test: (values: (string | undefined)[]) => boolean;
}

export type Comparison = { gte?: number; gt?: number; lte?: number; lt?: number; eq?: number };

export interface CorrelationRule {
  id: string;
  title: string;
  author: string | null;
  level: Level;
  tags: string[];
  type: 'event_count' | 'value_count' | 'temporal';
  rules: BaseRule[];
  groupBy: string[];
  timespanMs: number;
  condition: Comparison;
  /** value_count: the field whose distinct values are counted. */
  field: string | null;
  schedule: Cron;
  scheduleText: string;
}

export interface ScheduledLoad {
  rules: CorrelationRule[];
  skipped: { source: string; id?: string; reason: string }[];
}

export const scheduledBuiltinDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function timespan(text: unknown): number {
  const m = /^(\d+)([smhd])$/.exec(String(text ?? ''));
  if (!m) throw new Error(`timespan "${String(text)}" is not <number><s|m|h|d>`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

function comparison(value: unknown): Comparison {
  if (!value || typeof value !== 'object') throw new Error('condition must be a map such as {gte: 10}');
  const out: Comparison = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'field') continue;
    if (!['gte', 'gt', 'lte', 'lt', 'eq'].includes(k) || typeof v !== 'number')
      throw new Error(`condition "${k}" is not supported`);
    out[k as keyof Comparison] = v;
  }
  return out;
}

/** Whether `n` satisfies every bound of the condition. */
export function compare(n: number, c: Comparison): boolean {
  return (
    (c.gte === undefined || n >= c.gte) &&
    (c.gt === undefined || n > c.gt) &&
    (c.lte === undefined || n <= c.lte) &&
    (c.lt === undefined || n < c.lt) &&
    (c.eq === undefined || n === c.eq)
  );
}

function files(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir)
    .sort()
    .flatMap((n) =>
      /\.ya?ml$/i.test(n) ? [join(dir, n)] : statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [],
    );
}

type Doc = Record<string, unknown>;

/** Loads scheduled rules from the built-in folder and/or directories. */
export function loadScheduledRules(options: { builtin: boolean; dirs: string[] }): ScheduledLoad {
  const docs: { doc: Doc; source: string }[] = [];
  const skipped: ScheduledLoad['skipped'] = [];
  for (const dir of [...(options.builtin ? [scheduledBuiltinDir] : []), ...options.dirs]) {
    try {
      for (const file of files(dir))
        parseAllDocuments(readFileSync(file, 'utf8')).forEach((d, i) => {
          const value: unknown = d.toJS({ maxAliasCount: 100 });
          if (value && typeof value === 'object' && !Array.isArray(value))
            docs.push({ doc: value as Doc, source: `${file}#${i + 1}` });
        });
    } catch (error) {
      skipped.push({ source: dir, reason: `cannot read: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  const bases = new Map<string, BaseRule>();
  for (const { doc, source } of docs) {
    if (doc.correlation !== undefined) continue;
    const id = typeof doc.id === 'string' ? doc.id : undefined;
    const logsource = (doc.logsource ?? {}) as Doc;
    const service = String(logsource.service ?? '') as LogSource;
    if (String(logsource.product ?? '') !== 'shelltrail') continue;
    try {
      if (!id) throw new Error('no id');
      if (!(service in LOG_SOURCES))
        throw new Error(`service "${service}" is not one of ${Object.keys(LOG_SOURCES).join(', ')}`);
      const detection = compileDetection(doc.detection, 'process', indexFields(LOG_SOURCES[service]));
      const rule: BaseRule = {
        id,
        name: typeof doc.name === 'string' ? doc.name : null,
        source: service,
        test: (values) =>
          detection.test({
            value: (i) => values[i],
            lower: (i) => values[i]?.toLowerCase(),
            texts: () => [],
          }),
      };
      bases.set(id, rule);
      if (rule.name) bases.set(rule.name, rule);
    } catch (error) {
      skipped.push({ source, ...(id ? { id } : {}), reason: (error as Error).message });
    }
  }
  const rules: CorrelationRule[] = [];
  for (const { doc, source } of docs) {
    if (doc.correlation === undefined) continue;
    const id = typeof doc.id === 'string' ? doc.id : undefined;
    try {
      if (!id || typeof doc.title !== 'string') throw new Error('no id or title');
      const c = doc.correlation as Doc;
      const type = String(c.type);
      if (type !== 'event_count' && type !== 'value_count' && type !== 'temporal')
        throw new Error(`correlation type "${type}" is not supported`);
      const refs = (Array.isArray(c.rules) ? c.rules : [c.rules]).map(String);
      const referenced = refs.map((r) => {
        const base = bases.get(r);
        if (!base) throw new Error(`correlation names rule "${r}", which is not loaded`);
        return base;
      });
      const level = String(doc.level ?? 'medium') as Level;
      if (!LEVELS.includes(level)) throw new Error(`unknown level "${level}"`);
      const condition = type === 'temporal' ? {} : comparison(c.condition);
      const field = type === 'value_count' ? String((c.condition as Doc | undefined)?.field ?? '') : null;
      if (field === '') throw new Error('value_count needs condition.field');
      const scheduleText = typeof doc.schedule === 'string' ? doc.schedule : '*/5 * * * *';
      rules.push({
        id,
        title: doc.title,
        author: typeof doc.author === 'string' ? doc.author : null,
        level,
        tags: Array.isArray(doc.tags) ? doc.tags.map(String) : [],
        type,
        rules: referenced,
        groupBy: (Array.isArray(c['group-by']) ? c['group-by'] : []).map(String),
        timespanMs: timespan(c.timespan),
        condition,
        field,
        schedule: parseCron(scheduleText),
        scheduleText,
      });
    } catch (error) {
      skipped.push({ source, ...(id ? { id } : {}), reason: (error as Error).message });
    }
  }
  return { rules, skipped };
}
