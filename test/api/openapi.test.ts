/**
 * Live responses validated against the generated OpenAPI document (a small JSON Schema checker for
 * the subset zod emits: type, nullable unions, properties, required, items, enum, $ref), and
 * hostile content (HTML, `<script>`, bidi overrides) coming back as inert JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetectPass } from '../../src/detect/detect-pass.ts';
import { alerts, detection, quiet } from '../alerts/support.ts';
import { BIDI_ACTOR, type Harness, HOSTILE, HOUR, makeHarness, T0 } from './harness.ts';

type Schema = Record<string, unknown>;
let h: Harness;
let doc: { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } };

beforeAll(async () => {
  h = await makeHarness();
  // alice-1's `sudo iptables -F` raises an alert: the sessions list and detail then carry alerts.
  const lease = await h.store.lease.acquire('openapi-test');
  await createDetectPass({ detection: detection(), alerts: alerts(), now: () => T0 + 72 * HOUR }).run({
    ...quiet,
    store: h.store,
    log: () => {},
  });
  await lease.release();
  doc = await (await h.get('/api/openapi.json', 'viewer')).json();
});
afterAll(() => h.close());

function check(schema: Schema, value: unknown, path: string, errors: string[]): void {
  if (typeof schema.$ref === 'string') {
    check(doc.components.schemas[schema.$ref.split('/').pop()!]!, value, path, errors);
    return;
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key] as Schema[] | undefined;
    if (options) {
      const ok = options.some((o) => {
        const e: string[] = [];
        check(o, value, path, e);
        return e.length === 0;
      });
      if (!ok) errors.push(`${path}: matches none of ${key}`);
      return;
    }
  }
  const types = schema.type === undefined ? undefined : ([] as unknown[]).concat(schema.type);
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (types) {
    const fits = types.some((t) => t === actual || (t === 'integer' && Number.isInteger(value)));
    if (!fits) {
      errors.push(`${path}: ${actual} is not ${types.join('|')}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: not in enum`);
  if (actual === 'object' && schema.properties) {
    const obj = value as Record<string, unknown>;
    for (const r of (schema.required as string[]) ?? [])
      if (!(r in obj)) errors.push(`${path}.${r}: missing`);
    for (const [k, v] of Object.entries(obj)) {
      const sub = (schema.properties as Record<string, Schema>)[k];
      if (sub) check(sub, v, `${path}.${k}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}.${k}: not in the schema`);
    }
  }
  // A record (z.record): every value against the one value schema.
  if (actual === 'object' && !schema.properties && typeof schema.additionalProperties === 'object')
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      check(schema.additionalProperties as Schema, v, `${path}.${k}`, errors);
  if (actual === 'array' && schema.items)
    for (const [i, v] of (value as unknown[]).entries())
      check(schema.items as Schema, v, `${path}[${i}]`, errors);
}

const LIVE = [
  ['/api/sessions', '/api/sessions'],
  ['/api/sessions?alerts=any&alertLevel=low', '/api/sessions'],
  ['/api/sessions/alice-1?raw=1', '/api/sessions/{id}'],
  ['/api/search?q=echo', '/api/search'],
  ['/api/attempts', '/api/attempts'],
  ['/api/findings', '/api/findings'],
  ['/api/stats', '/api/stats'],
  ['/api/actors/alice/timeline', '/api/actors/{actor}/timeline'],
  ['/api/targets/i-0aa11bb22cc33dd44/timeline', '/api/targets/{target}/timeline'],
  ['/api/access-log', '/api/access-log'],
] as const;

/** The routes that answer other than JSON, streamed: the body checked by what it must be. */
const STREAMED = [
  [
    '/api/sessions/alice-1/cast',
    '/api/sessions/{id}/cast',
    (body: Buffer) => {
      const lines = body.toString('utf8').trimEnd().split('\n');
      expect(JSON.parse(lines[0]!)).toMatchObject({ version: 3 });
      const events = lines.slice(1).map((l) => JSON.parse(l) as unknown[]);
      expect(events.filter((e) => e[1] === 'm').map((e) => e[2])).toEqual([
        'id',
        `echo '${HOSTILE}'`,
        'sudo iptables -F',
      ]);
    },
  ],
  [
    '/api/sessions/alice-1/transcript.txt',
    '/api/sessions/{id}/transcript.txt',
    (body: Buffer) => expect(body.toString('utf8')).toContain('$ id\n'),
  ],
  [
    '/api/sessions/alice-1/raw?source=cloudwatch',
    '/api/sessions/{id}/raw',
    (body: Buffer) => expect(body.toString('utf8')).toBe(`$ id\n$ echo '${HOSTILE}'\n${HOSTILE}\n`),
  ],
] as const;

type Operation = {
  parameters?: { name: string; in: string; schema: Schema }[];
  responses: Record<
    string,
    { content: Record<string, { schema: Schema }>; headers?: Record<string, { schema: Schema }> }
  >;
};

describe('OpenAPI document', () => {
  it('is generated from the routes and needs a token', async () => {
    expect((await h.get('/api/openapi.json')).status).toBe(401);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([...LIVE, ...STREAMED].map(([, p]) => p)));
  });
  for (const [url, path, body] of STREAMED) {
    it(`${url} answers the media type and headers its 200 documents`, async () => {
      const op = doc.paths[path]!.get as Operation;
      const ok = op.responses['200']!;
      const res = await h.get(url, 'auditor');
      expect(res.status).toBe(200);
      const type = res.headers.get('content-type')!.split(';')[0]!.trim();
      expect(Object.keys(ok.content)).toEqual([type]);
      for (const header of Object.keys(ok.headers ?? {})) expect(res.headers.get(header)).toBeTruthy();
      body(Buffer.from(await res.arrayBuffer()));
      // Its documented refusals are the JSON error shape: a viewer (403), an unknown session (404).
      for (const [status, answer] of [
        [403, await h.get(url, 'viewer')],
        [404, await h.get(url.replace('alice-1', 'nobody-9'), 'auditor')],
      ] as const) {
        expect(answer.status).toBe(status);
        const errors: string[] = [];
        check(
          op.responses[String(status)]!.content['application/json']!.schema,
          await answer.json(),
          '$',
          errors,
        );
        expect(errors).toEqual([]);
      }
    });
  }
  it('documents the downloads as attachments and the transcript choice', () => {
    for (const path of ['/api/sessions/{id}/transcript.txt', '/api/sessions/{id}/raw']) {
      const op = doc.paths[path]!.get as Operation;
      expect(Object.keys(op.responses['200']!.headers ?? {})).toEqual(['Content-Disposition']);
      expect(op.parameters?.find((p) => p.name === 'source')?.schema).toMatchObject({
        enum: ['s3', 'cloudwatch'],
      });
    }
    expect(
      Object.keys((doc.paths['/api/sessions/{id}/raw']!.get as Operation).responses['200']!.content),
    ).toEqual(['application/octet-stream']);
  });
  for (const [url, path] of LIVE) {
    it(`${url} matches its 200 schema`, async () => {
      const res = await h.get(url, 'admin');
      expect(res.status).toBe(200);
      const schema = (
        doc.paths[path]!.get as { responses: Record<string, { content: Record<string, { schema: Schema }> }> }
      ).responses['200']!.content['application/json']!.schema;
      const errors: string[] = [];
      check(schema, await res.json(), '$', errors);
      expect(errors).toEqual([]);
    });
  }
  it('documents the alert filters of the sessions list, and its answers carry the badges', async () => {
    const params = (doc.paths['/api/sessions']!.get as { parameters: { name: string; schema: Schema }[] })
      .parameters;
    const byName = Object.fromEntries(params.map((p) => [p.name, p.schema]));
    expect(byName.alerts).toMatchObject({ enum: ['open', 'any'] });
    expect(byName.alertLevel).toMatchObject({ enum: ['informational', 'low', 'medium', 'high', 'critical'] });
    const list = await (await h.get('/api/sessions?alerts=open', 'admin')).json();
    expect(Object.keys(list.alerts)).toEqual(['alice-1']);
    const errors: string[] = [];
    check({ $ref: '#/components/schemas/SessionAlerts' }, { open: '1', total: 1, level: 'x' }, '$', errors);
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });

  it('the checker fails on a wrong answer', () => {
    const errors: string[] = [];
    check(
      { type: 'object', properties: { a: { type: 'number' } }, required: ['a', 'b'] },
      { a: 'x' },
      '$',
      errors,
    );
    expect(errors).toHaveLength(2);
  });
});

describe('hostile content', () => {
  it('HTML, <script> and bidi overrides come back as inert JSON strings', async () => {
    const res = await h.get('/api/sessions/alice-1', 'auditor');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const body = await res.json();
    expect(body.commands[1].text).toBe(`echo '${HOSTILE}'`);
    const eve = await (await h.get('/api/sessions/eve-3', 'viewer')).json();
    expect(eve.actor).toBe(BIDI_ACTOR);
    const text = await (await h.get('/api/sessions/alice-1/transcript.txt', 'auditor')).text();
    expect(text).toContain('<script>');
    const dl = await h.get('/api/sessions/alice-1/raw', 'auditor');
    expect(dl.headers.get('content-type')).toBe('application/octet-stream');
    expect(dl.headers.get('content-disposition')).toBe('attachment; filename="alice-1.log"');
  });

  it('CSV cells that start like a formula are neutralised', async () => {
    const { csvCell } = await import('../../src/api/routes/search.ts');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+2')).toBe(`"'-1+2"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('ls -la')).toBe('"ls -la"');
  });
});
