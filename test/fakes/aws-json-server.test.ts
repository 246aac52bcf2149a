import { afterEach, describe, expect, it } from 'vitest';
import { AwsFakeError, type JsonServer, startJsonServer } from './aws-json-server.ts';

let server: JsonServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function call(target: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(server!.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/svc/aws4_request',
      ...headers,
    },
    body,
  });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

describe('AWS JSON 1.1 fake server', () => {
  it('dispatches on X-Amz-Target and sends errors as __type + message', async () => {
    server = await startJsonServer({
      targetPrefixes: ['Svc_1'],
      handlers: {
        Echo: (input) => ({ got: input }),
        Fail: () => {
          throw new AwsFakeError('ValidationException', 'bad value');
        },
      },
    });
    expect(await call('Svc_1.Echo', '{"a":1}')).toEqual({
      status: 200,
      type: 'application/x-amz-json-1.1',
      body: { got: { a: 1 } },
    });
    expect(await call('Svc_1.Fail', '{}')).toMatchObject({
      status: 400,
      body: { __type: 'ValidationException', message: 'bad value' },
    });
    expect((await call('Svc_1.Nope', '{}')).body.__type).toBe('UnknownOperationException');
    expect((await call('Other.Echo', '{}')).body.__type).toBe('UnknownOperationException');
    expect((await call('Svc_1.Echo', '{not json')).body.__type).toBe('SerializationException');
    expect((await call('Svc_1.Echo', '{}', { authorization: '' })).body.__type).toBe(
      'MissingAuthenticationTokenException',
    );
    expect(server.state.calls.map((c) => c.operation)).toEqual(['Echo', 'Fail']);
  });

  it('consumes faults in order and only for their operation', async () => {
    server = await startJsonServer({ targetPrefixes: ['Svc_1'], handlers: { A: () => ({}), B: () => ({}) } });
    server.injectFault({ kind: 'throttle', operation: 'B', count: 2 });
    expect((await call('Svc_1.A', '{}')).status).toBe(200);
    expect((await call('Svc_1.B', '{}')).body.__type).toBe('ThrottlingException');
    expect((await call('Svc_1.B', '{}')).body.__type).toBe('ThrottlingException');
    expect((await call('Svc_1.B', '{}')).status).toBe(200);
    expect(server.state.stats.byOperation.B).toEqual({ requests: 3, throttled: 2, faulted: 2 });
  });
});
