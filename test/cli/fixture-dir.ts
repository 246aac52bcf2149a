/** A small local folder of CloudTrail evidence for command tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { identities, noise, startSession, terminateSession, trailFile } from '../ingest/records.ts';

export function writeEvidenceDir(dir: string): void {
  const day = join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'ap-northeast-1', '2026', '11', '24');
  mkdirSync(day, { recursive: true });
  writeFileSync(
    join(day, '111122223333_CloudTrail_ap-northeast-1_20261124T0800Z_abc.json.gz'),
    gzipSync(
      trailFile([
        noise(),
        startSession({
          sessionId: 'alice-0a1b2c3d4e5f60718',
          time: '2026-11-24T08:00:00Z',
          reason: '障害調査',
        }),
        startSession({
          sessionId: 'tanaka.hiroshi@example.co.jp-5h3kq9z8x7w6v5u4t3s2r1q0pa',
          identity: identities.sso(),
          documentName: 'AWS-StartPortForwardingSession',
          parameters: { portNumber: ['5432'] },
          time: '2026-11-24T09:00:00Z',
        }),
        startSession({
          errorCode: 'AccessDenied',
          identity: identities.sso('sato@example.com'),
          time: '2026-11-24T07:00:00Z',
        }),
        terminateSession('alice-0a1b2c3d4e5f60718', { time: '2026-11-24T08:20:00Z' }),
      ]),
    ),
  );
  writeFileSync(join(day, 'broken.json.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
}
