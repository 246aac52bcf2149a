/** Shared set-up for the alert tests: a session with extracted commands, config, a loopback receiver. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertsConfig, detectionConfig } from '../../src/config-detection.ts';
import type { Store } from '../../src/store/index.ts';
import { cwTranscript, settings, startSession, T0 } from '../store/contract/fixtures.ts';
import { extracted } from '../store/helpers.ts';

export { T0 };

/** Stores session `sessionId` (actor = its prefix) with `texts` as its extracted commands, one second apart. */
export async function sessionWithCommands(
  store: Store,
  sessionId: string,
  texts: string[],
  extra: { target?: string; at?: number } = {},
): Promise<void> {
  const at = extra.at ?? T0;
  const cw = cwTranscript(
    sessionId,
    texts.map((t) => `$ ${t}`),
    at,
  );
  await store.evidence.writeBatch(
    {
      sourceId: 'test',
      ctEvents: [startSession(sessionId, at, extra.target ? { target: extra.target } : {})],
      transcripts: [cw.transcript],
      cwEvents: cw.events,
    },
    settings(at + 48 * 3_600_000),
  );
  await store.extractQueue.complete(sessionId, {
    commands: texts.map((t, i) => extracted(i, t, { at: at + (i + 1) * 1000 })),
    cols: 80,
    colsSource: 'default',
    extractorVersion: 1,
  });
}

export function detection(over: Record<string, unknown> = {}) {
  return detectionConfig.parse({ notifyMaxAgeMinutes: 60, ...over });
}

export function alerts(over: Record<string, unknown> = {}) {
  return alertsConfig.parse({ baseUrl: 'https://audit.example.com', ...over });
}

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP receiver on loopback; `status` decides each answer (default 204). */
export async function receiver(status: (n: number) => number = () => 204): Promise<{
  url: string;
  received: Received[];
  server: Server;
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.statusCode = status(received.length);
      res.end('internal detail that must not be logged');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const quiet = {
  signal: new AbortController().signal,
  config: { terminal: { defaultCols: 80, defaultUser: 'ssm-user' } },
};
