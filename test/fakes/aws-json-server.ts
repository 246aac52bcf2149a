/**
 * A tiny AWS JSON 1.1 protocol server for tests: one loopback HTTP server per fake service, dispatching on
 * the `X-Amz-Target` header exactly like the real endpoints, so the real SDK clients talk to it unchanged.
 * Rate limiting, fault injection and request counters are shared by every fake built on it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error the way the real service sends it: HTTP status plus `{"__type": ..., "message": ...}`. */
export class AwsFakeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** "At most `maxRequests` in any rolling window of `windowMs`" (real AWS quotas are per second). */
export interface RateLimit {
  maxRequests: number;
  windowMs?: number;
}

export type FaultKind = 'internal' | 'unavailable' | 'throttle' | 'hang';

/** One injected fault, consumed by the next `count` matching requests (before rate limiting). */
export interface Fault {
  kind: FaultKind;
  /** How many requests it affects; default 1. */
  count?: number;
  /** Only requests to this operation (e.g. `GetLogEvents`); default every operation. */
  operation?: string;
  /** `hang` only: respond normally after this delay; absent = never answer (until the client aborts or close()). */
  hangMs?: number;
}

export interface OperationStats {
  requests: number;
  throttled: number;
  faulted: number;
}

/** Counters and controls every fake exposes as `fake.state.server`; tests assert on and mutate these. */
export interface JsonServerState {
  stats: OperationStats & { byOperation: Record<string, OperationStats> };
  /** Every accepted request's operation and parsed input, oldest first (capped at 10,000). */
  calls: Array<{ operation: string; input: Record<string, unknown>; at: number }>;
  /** Pending faults; push more at any time (or use injectFault). */
  faults: Fault[];
  /** Shared limit across all operations; `false` disables. Mutable at runtime. */
  rateLimit: RateLimit | false;
  /** Per-operation limits (counted per operation), checked in addition to `rateLimit`. Mutable. */
  operationRateLimits: Record<string, RateLimit | false>;
}

export type Handler = (input: Record<string, unknown>) => unknown;

export interface JsonServerOptions {
  /** Accepted `X-Amz-Target` prefixes before the last dot, e.g. `AmazonSSM` or `Logs_20140328`. */
  targetPrefixes: string[];
  handlers: Record<string, Handler>;
  rateLimit?: RateLimit | false;
  operationRateLimits?: Record<string, RateLimit | false>;
  /** Clock used for rate windows; defaults to Date.now (tests may pass a fake one). */
  clock?: () => number;
}

export interface JsonServer {
  url: string;
  state: JsonServerState;
  injectFault(fault: Fault): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_CALL_LOG = 10_000;

function emptyStats(): OperationStats {
  return { requests: 0, throttled: 0, faulted: 0 };
}

/** Starts the server on 127.0.0.1 with an OS-assigned port. */
export async function startJsonServer(options: JsonServerOptions): Promise<JsonServer> {
  const clock = options.clock ?? Date.now;
  const state: JsonServerState = {
    stats: { ...emptyStats(), byOperation: {} },
    calls: [],
    faults: [],
    rateLimit: options.rateLimit ?? false,
    operationRateLimits: { ...options.operationRateLimits },
  };
  const allArrivals: number[] = [];
  const arrivalsByOperation = new Map<string, number[]>();
  const hangingResponses = new Set<ServerResponse>();

  function exceeds(arrivals: number[], limit: RateLimit | false | undefined, now: number): boolean {
    if (!limit) return false;
    const windowMs = limit.windowMs ?? 1000;
    while (arrivals.length > 0 && arrivals[0]! <= now - windowMs) arrivals.shift();
    return arrivals.length >= limit.maxRequests;
  }

  /** Throttled requests do not count towards the window, like AWS's token buckets refusing a token. */
  function isThrottled(operation: string): boolean {
    const now = clock();
    const perOperation = arrivalsByOperation.get(operation) ?? [];
    arrivalsByOperation.set(operation, perOperation);
    if (exceeds(allArrivals, state.rateLimit, now)) return true;
    if (exceeds(perOperation, state.operationRateLimits[operation], now)) return true;
    allArrivals.push(now);
    perOperation.push(now);
    return false;
  }

  function takeFault(operation: string): Fault | undefined {
    const index = state.faults.findIndex((f) => !f.operation || f.operation === operation);
    if (index < 0) return undefined;
    const fault = state.faults[index]!;
    const remaining = (fault.count ?? 1) - 1;
    if (remaining <= 0) state.faults.splice(index, 1);
    else state.faults[index] = { ...fault, count: remaining };
    return fault;
  }

  function send(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(payload);
  }

  function sendError(res: ServerResponse, error: AwsFakeError): void {
    send(res, error.status, { __type: error.type, message: error.message });
  }

  function count(operation: string, field: keyof OperationStats): void {
    state.stats[field] += 1;
    state.stats.byOperation[operation] ??= emptyStats();
    state.stats.byOperation[operation][field] += 1;
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new AwsFakeError('SerializationException', 'Request too large', 413);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  function runHandler(res: ServerResponse, handler: Handler, input: Record<string, unknown>): void {
    try {
      send(res, 200, handler(input) ?? {});
    } catch (error) {
      if (error instanceof AwsFakeError) sendError(res, error);
      else sendError(res, new AwsFakeError('InternalFailure', `fake handler crashed: ${String(error)}`, 500));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot);
    const operation = target.slice(dot + 1);
    const handler = Object.hasOwn(options.handlers, operation) ? options.handlers[operation] : undefined;
    if (req.method !== 'POST' || !options.targetPrefixes.includes(prefix) || !handler) {
      throw new AwsFakeError('UnknownOperationException', `Unknown operation ${target}`);
    }
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
      throw new AwsFakeError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    let input: Record<string, unknown>;
    try {
      input = body.trim() === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    } catch {
      throw new AwsFakeError('SerializationException', 'Request body is not valid JSON');
    }
    count(operation, 'requests');
    if (state.calls.length >= MAX_CALL_LOG) state.calls.shift();
    state.calls.push({ operation, input, at: clock() });

    const fault = takeFault(operation);
    if (fault) count(operation, 'faulted');
    if (fault?.kind === 'internal') throw new AwsFakeError('InternalFailure', 'Internal failure', 500);
    if (fault?.kind === 'unavailable')
      throw new AwsFakeError('ServiceUnavailable', 'Service unavailable', 503);
    if (fault?.kind === 'throttle' || (!fault && isThrottled(operation))) {
      count(operation, 'throttled');
      throw new AwsFakeError('ThrottlingException', 'Rate exceeded');
    }
    if (fault?.kind === 'hang') {
      hangingResponses.add(res);
      res.on('close', () => hangingResponses.delete(res));
      if (fault.hangMs === undefined) return;
      const timer = setTimeout(() => {
        hangingResponses.delete(res);
        runHandler(res, handler, input);
      }, fault.hangMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    runHandler(res, handler, input);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      sendError(
        res,
        error instanceof AwsFakeError ? error : new AwsFakeError('InternalFailure', String(error), 500),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    injectFault(fault) {
      state.faults.push(fault);
    },
    close() {
      for (const res of hangingResponses) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads an optional integer field, rejecting wrong types the way the service's validation does. */
export function optionalInteger(input: Record<string, unknown>, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new AwsFakeError('SerializationException', `${field} must be an integer`);
  }
  return value;
}

/** Reads an optional string field. */
export function optionalString(input: Record<string, unknown>, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new AwsFakeError('SerializationException', `${field} must be a string`);
  return value;
}
