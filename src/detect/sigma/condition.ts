/**
 * Sigma condition expressions: identifiers, `and` / `or` / `not`, parentheses, and the quantifiers
 * `1 of x*` / `any of x*` / `all of x*` / `N of ...` / `... of them`. Precedence: not > and > or.
 * Aggregations (`| count() > 5`) and `near` belong to correlation and are refused.
 */
import { UnsupportedRule } from './errors.ts';
import { globTester, parseGlob } from './pattern.ts';

export type Condition =
  | { kind: 'id'; name: string }
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'of'; count: number | 'all'; pattern: string };

function tokenizeCondition(text: string): string[] {
  if (text.includes('|')) throw new UnsupportedRule('aggregation expressions (`|`) in conditions');
  return text.match(/\(|\)|[^\s()]+/g) ?? [];
}

/** Parses one condition string. Throws UnsupportedRule on syntax it cannot honour exactly. */
export function parseCondition(text: string): Condition {
  const tokens = tokenizeCondition(text);
  let pos = 0;
  const peek = () => tokens[pos]?.toLowerCase();
  const parseOr = (): Condition => {
    const items = [parseAnd()];
    while (peek() === 'or') {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const parseAnd = (): Condition => {
    const items = [parseNot()];
    while (peek() === 'and') {
      pos++;
      items.push(parseNot());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const parseNot = (): Condition => {
    if (peek() === 'not') {
      pos++;
      return { kind: 'not', item: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): Condition => {
    const token = tokens[pos++];
    if (token === undefined) throw new UnsupportedRule(`condition ends early: ${text}`);
    if (token === '(') {
      const inner = parseOr();
      if (tokens[pos++] !== ')') throw new UnsupportedRule(`unbalanced parentheses in condition: ${text}`);
      return inner;
    }
    const lower = token.toLowerCase();
    if (tokens[pos]?.toLowerCase() === 'of') {
      const target = tokens[pos + 1];
      if (target === undefined) throw new UnsupportedRule(`nothing after "of" in condition: ${text}`);
      pos += 2;
      if (lower === 'all') return { kind: 'of', count: 'all', pattern: target };
      if (lower === 'any') return { kind: 'of', count: 1, pattern: target };
      if (/^\d+$/.test(lower) && Number(lower) >= 1)
        return { kind: 'of', count: Number(lower), pattern: target };
      throw new UnsupportedRule(`quantifier "${token} of" in condition`);
    }
    if (['and', 'or', 'not', ')', 'near'].includes(lower))
      throw new UnsupportedRule(`unexpected "${token}" in condition: ${text}`);
    return { kind: 'id', name: token };
  };
  const result = parseOr();
  if (pos !== tokens.length) throw new UnsupportedRule(`unexpected "${tokens[pos]}" in condition: ${text}`);
  return result;
}

/** Expands `of` quantifiers against the rule's selection names (`them` skips names starting with `_`). */
export function expandQuantifiers(condition: Condition, names: string[]): Condition {
  switch (condition.kind) {
    case 'id':
      if (!names.includes(condition.name))
        throw new UnsupportedRule(`condition names unknown selection "${condition.name}"`);
      return condition;
    case 'not':
      return { kind: 'not', item: expandQuantifiers(condition.item, names) };
    case 'and':
    case 'or':
      return { kind: condition.kind, items: condition.items.map((c) => expandQuantifiers(c, names)) };
    case 'of': {
      const matching = names.filter((n) =>
        condition.pattern === 'them' ? !n.startsWith('_') : globName(condition.pattern, n),
      );
      if (matching.length === 0) throw new UnsupportedRule(`"of ${condition.pattern}" matches no selection`);
      const items: Condition[] = matching.map((name) => ({ kind: 'id', name }));
      if (condition.count === 'all') return { kind: 'and', items };
      if (condition.count === 1) return { kind: 'or', items };
      if (condition.count > items.length) return { kind: 'or', items: [] };
      return nOf(items, condition.count);
    }
  }
}

function globName(pattern: string, name: string): boolean {
  return globTester(parseGlob(pattern))(name);
}

/** "N of" as an OR over all N-sized AND combinations (selection lists are short). */
function nOf(items: Condition[], n: number): Condition {
  const combos: Condition[] = [];
  const pick = (start: number, chosen: Condition[]) => {
    if (chosen.length === n) {
      combos.push({ kind: 'and', items: chosen });
      return;
    }
    for (let i = start; i < items.length && combos.length < 1000; i++) pick(i + 1, [...chosen, items[i]!]);
  };
  pick(0, []);
  return { kind: 'or', items: combos };
}
