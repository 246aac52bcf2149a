import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../../src/ingest/normalize/cloudtrail.ts';
import { describeSessionToRow } from '../../src/ingest/normalize/describe.ts';
import type { EvidenceBatch } from '../../src/store/index.ts';
import {
  type CtEvidence,
  type DescribeEvidence,
  projectSession,
  type TranscriptEvidence,
} from '../../src/store/projection.ts';
import { seededRng } from '../../src/util/random.ts';
import { identities, startSession, terminateSession } from '../ingest/records.ts';
import { openWritable } from './helpers.ts';
import { settings } from './projection-settings.ts';

const ct = (r: Record<string, unknown>) => normalizeRecord(r, 'test')!;
const A = 'alice-0a1b2c3d4e5f60718';
const B = 'tanaka.hiroshi@example.co.jp-5h3kq9z8x7w6v5u4t3s2r1q0pa';
const C = 'root-00000000000000abc';

function evidence(): Omit<EvidenceBatch, 'sourceId'>[] {
  const startA = ct(
    startSession({ sessionId: A, eventId: 'e1', time: '2026-11-24T08:00:00Z', reason: '調査' }),
  );
  return [
    { ctEvents: [startA] },
    { ctEvents: [startA] }, // duplicate delivery
    { ctEvents: [ct(terminateSession(A, { eventId: 'e2', time: '2026-11-24T08:30:00Z' }))] },
    { ctEvents: [ct(terminateSession(A, { eventId: 'e2b', time: '2026-11-24T08:31:00Z' }))] }, // a second terminate
    {
      ctEvents: [
        ct(terminateSession(A, { eventId: 'e3', time: '2026-11-24T08:10:00Z', name: 'ResumeSession' })),
      ],
    },
    {
      ctEvents: [
        ct(
          startSession({
            sessionId: B,
            eventId: 'e4',
            identity: identities.sso(),
            documentName: 'AWS-StartSSHSession',
            time: '2026-11-24T09:00:00Z',
          }),
        ),
      ],
    },
    {
      describeSnapshots: [
        describeSessionToRow(
          {
            SessionId: B,
            Status: 'Connected',
            StartDate: '2026-11-24T09:00:01Z',
            Target: 'i-0a1b2c3d4e5f60718',
          },
          'ap-northeast-1',
        ),
      ],
    },
    {
      describeSnapshots: [
        describeSessionToRow(
          {
            SessionId: B,
            Status: 'Terminated',
            StartDate: '2026-11-24T09:00:01Z',
            EndDate: '2026-11-24T09:20:00Z',
            Target: 'i-0a1b2c3d4e5f60718',
          },
          'ap-northeast-1',
        ),
      ],
    },
    {
      ctEvents: [
        ct(startSession({ eventId: 'e5', errorCode: 'AccessDenied', time: '2026-11-24T07:00:00Z' })),
      ],
    },
    {
      ctEvents: [
        ct(
          startSession({
            sessionId: C,
            eventId: 'e6',
            identity: identities.root(),
            time: '2026-11-20T00:00:00Z',
          }),
        ),
      ],
    },
  ];
}

/** Writes the batches in this order into a fresh store and reads back what it projected. */
async function project(order: Omit<EvidenceBatch, 'sourceId'>[]) {
  const store = await openWritable(':memory:');
  try {
    for (const batch of order) await store.evidence.writeBatch({ sourceId: 'test', ...batch }, settings);
    const sessions = (await store.sessions.list({}, { limit: 5000 })).items.sort((a, b) =>
      a.sessionId.localeCompare(b.sessionId),
    );
    const findings = (await store.findings.list({}, { limit: 5000 })).items
      .map(({ findingId, kind, code, sessionId, detail }) => ({ findingId, kind, code, sessionId, detail }))
      .sort((a, b) => a.findingId.localeCompare(b.findingId));
    // Every stored CloudTrail record: those of the sessions, and the denied attempts.
    let events = (await store.sessions.listAttempts({}, { limit: 5000 })).items.length;
    for (const s of sessions) events += (await store.evidence.sessionEvents(s.sessionId)).length;
    return { sessions, findings, events };
  } finally {
    await store.close();
  }
}

describe('session projection', () => {
  it('does not depend on the order or duplication of evidence (20 seeded shuffles)', async () => {
    const base = await project(evidence());
    expect(base.events).toBe(7);
    expect(base.sessions).toHaveLength(3);
    const rng = seededRng(99);
    for (let i = 0; i < 20; i++) {
      const shuffled = evidence();
      for (let j = shuffled.length - 1; j > 0; j--) {
        const k = rng.int(0, j);
        [shuffled[j], shuffled[k]] = [shuffled[k]!, shuffled[j]!];
      }
      expect(await project(shuffled)).toEqual(base);
    }
  });

  it('takes the end from the first TerminateSession, else DescribeSessions; the max duration is only assumed', async () => {
    const byId = Object.fromEntries((await project(evidence())).sessions.map((s) => [s.sessionId, s]));
    expect(byId[A]).toMatchObject({
      endedAt: Date.parse('2026-11-24T08:30:00Z'),
      endSource: 'terminate',
      reason: '調査',
      terminatedBy: 'alice',
    });
    expect(byId[B]).toMatchObject({
      kind: 'ssh',
      endedAt: Date.parse('2026-11-24T09:20:00Z'),
      endSource: 'describe',
      status: 'Terminated',
      actor: 'tanaka.hiroshi@example.co.jp',
      coverage: 'not_recordable',
    });
    // Nothing says when C ended: the maximum duration is an assumption, never its end.
    expect(byId[C]).toMatchObject({
      endSource: null,
      endedAt: null,
      assumedEndAt: Date.parse('2026-11-21T00:00:00Z'),
      actor: 'root',
    });
  });

  it('keeps denied attempts out of sessions', async () => {
    const { sessions } = await project(evidence());
    expect(sessions.every((s) => s.sessionId !== null)).toBe(true);
    expect(sessions.map((s) => s.sessionId).sort()).toEqual([A, B, C].sort());
  });

  it('ends from transcripts when CloudTrail and DescribeSessions say nothing', () => {
    const start = { ...ctEvidence(), event_time: Date.parse('2026-11-24T08:00:00Z') };
    const s3: TranscriptEvidence = {
      transcript_id: 's3://b/k#1',
      source: 's3',
      location: 'b/k',
      sha256: 'x',
      last_modified: Date.parse('2026-11-24T08:40:00Z'),
      first_event_at: null,
      last_event_at: null,
      claimed_target: null,
      claimed_principal_arn: null,
      claimed_run_as_user: null,
      claimed_session_id: null,
    };
    const cw: TranscriptEvidence = {
      ...s3,
      transcript_id: 'cw://g/s',
      source: 'cloudwatch',
      location: 'g/s',
      first_event_at: Date.parse('2026-11-24T08:00:05Z'),
      last_event_at: Date.parse('2026-11-24T08:39:00Z'),
      last_modified: null,
    };
    expect(projectSession(A, [start], [], [s3], settings)!.session).toMatchObject({
      endSource: 'transcript_s3',
      coverage: 'complete',
    });
    expect(projectSession(A, [start], [], [s3, cw], settings)!.session).toMatchObject({
      endSource: 'transcript_cloudwatch',
      endedAt: Date.parse('2026-11-24T08:39:00Z'),
    });
    const none = projectSession(A, [start], [], [], settings)!;
    expect(none.session).toMatchObject({
      endSource: null,
      endedAt: null,
      assumedEndAt: Date.parse('2026-11-25T08:00:00Z'),
      coverage: 'missing',
    });
    expect(none.findings.map((f) => f.code)).toEqual(['no_transcript']);
    const describeOnly: DescribeEvidence = {
      status: 'Terminated',
      account_id: null,
      region: 'us-east-1',
      target: 'i-1',
      document_name: null,
      owner: 'arn:aws:iam::111122223333:user/bob',
      reason: null,
      started_at: 1,
      ended_at: 2,
      output_url: null,
      raw: '{}',
    };
    expect(projectSession('bob-1', [], [describeOnly], [], settings)!.session).toMatchObject({
      startSource: 'describe',
      actor: 'bob',
      accountId: '111122223333',
      endSource: 'describe',
    });
  });
});

function ctEvidence(): CtEvidence {
  return {
    event_id: 'x',
    digest: 'x-v1',
    origin: 'test',
    event_name: 'StartSession',
    event_time: 0,
    account_id: '111122223333',
    region: 'ap-northeast-1',
    target: 'i-1',
    document_name: null,
    parameters: null,
    reason: null,
    principal_arn: 'arn:aws:iam::111122223333:user/alice',
    principal_type: 'IAMUser',
    actor: 'alice',
    source_ip: null,
    user_agent: null,
    error_code: null,
  };
}
