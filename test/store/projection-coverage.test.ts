/**
 * Coverage and findings of the session projection: which destinations are expected, when a session
 * is open / complete / partial / missing, and when a transcript contradicts CloudTrail.
 */
import { describe, expect, it } from 'vitest';
import {
  type CtEvidence,
  type ExpectedDestinations,
  type ProjectionSettings,
  projectSession,
  type TranscriptEvidence,
} from '../../src/store/projection.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-11-24T08:00:00Z');
const SID = 'alice-0a1b2c3d4e5f60718';
const ARN = 'arn:aws:sts::111122223333:assumed-role/OpsRole/alice';

function start(overrides: Partial<CtEvidence> = {}): CtEvidence {
  return {
    event_id: 'start',
    digest: 'start-v1',
    origin: 'test',
    event_name: 'StartSession',
    event_time: T0,
    account_id: '111122223333',
    region: 'ap-northeast-1',
    target: 'i-0a1b2c3d4e5f60718',
    document_name: null,
    parameters: null,
    reason: null,
    principal_arn: ARN,
    principal_type: 'AssumedRole',
    actor: 'alice',
    source_ip: '203.0.113.5',
    user_agent: 'aws-cli',
    error_code: null,
    ...overrides,
  };
}

const terminate = (minutes: number): CtEvidence =>
  start({ event_id: `term-${minutes}`, event_name: 'TerminateSession', event_time: T0 + minutes * MIN });

function transcript(
  source: 's3' | 'cloudwatch',
  overrides: Partial<TranscriptEvidence> = {},
): TranscriptEvidence {
  return {
    transcript_id: `${source}-1`,
    source,
    location: source === 's3' ? `logs/${SID}.log` : `/ssm/${SID}`,
    sha256: 'aa',
    last_modified: source === 's3' ? T0 + 31 * MIN : null,
    first_event_at: source === 'cloudwatch' ? T0 + MIN : null,
    last_event_at: source === 'cloudwatch' ? T0 + 29 * MIN : null,
    claimed_target: 'i-0a1b2c3d4e5f60718',
    claimed_principal_arn: source === 'cloudwatch' ? ARN : null,
    claimed_run_as_user: source === 'cloudwatch' ? 'ssm-user' : null,
    claimed_session_id: SID,
    ...overrides,
  };
}

function settings(expected: ExpectedDestinations[], nowMinutes = 24 * 60): ProjectionSettings {
  return {
    maxDurationMs: 24 * 60 * MIN,
    missingGraceMs: 60 * MIN,
    expectedDestinations: expected,
    now: () => T0 + nowMinutes * MIN,
  };
}

function project(
  ct: CtEvidence[],
  transcripts: TranscriptEvidence[],
  s: ProjectionSettings,
): { coverage: string; codes: string[] } {
  const result = projectSession(SID, ct, [], transcripts, s)!;
  return { coverage: result.session.coverage, codes: result.findings.map((f) => f.code).sort() };
}

const BOTH: ExpectedDestinations = { s3: true, cloudwatch: true };

describe('coverage', () => {
  it('is complete when every expected destination arrived', () => {
    const r = project(
      [start(), terminate(30)],
      [transcript('s3'), transcript('cloudwatch')],
      settings([BOTH]),
    );
    expect(r).toEqual({ coverage: 'complete', codes: [] });
  });

  it('is partial when an expected destination is missing after the grace period', () => {
    expect(project([start(), terminate(30)], [transcript('cloudwatch')], settings([BOTH]))).toEqual({
      coverage: 'partial',
      codes: ['no_s3'],
    });
    expect(project([start(), terminate(30)], [transcript('s3')], settings([BOTH]))).toEqual({
      coverage: 'partial',
      codes: ['no_cloudwatch'],
    });
  });

  it('never calls a session partial for a destination that is not expected', () => {
    const s3Only = settings([{ s3: true, cloudwatch: false }]);
    expect(project([start(), terminate(30)], [transcript('s3')], s3Only).coverage).toBe('complete');
  });

  it('uses the most specific destination rule', () => {
    const rules: ExpectedDestinations[] = [
      { s3: true, cloudwatch: true },
      { accountId: '111122223333', region: 'ap-northeast-1', s3: true, cloudwatch: false },
    ];
    expect(project([start(), terminate(30)], [transcript('s3')], settings(rules)).coverage).toBe('complete');
    const other = [start({ region: 'us-east-1' }), terminate(30)];
    expect(project(other, [transcript('s3')], settings(rules)).codes).toEqual(['no_cloudwatch']);
  });

  it('flags a CloudWatch stream that stops well before the session ends', () => {
    const early = transcript('cloudwatch', { last_event_at: T0 + 10 * MIN });
    expect(project([start(), terminate(30)], [transcript('s3'), early], settings([BOTH]))).toEqual({
      coverage: 'partial',
      codes: ['cw_stops_early'],
    });
  });

  it('is open while the transcript is not yet due, then missing after the grace period', () => {
    const ended = [start(), terminate(30)];
    expect(project(ended, [], settings([BOTH], 45))).toEqual({ coverage: 'open', codes: [] });
    expect(project(ended, [], settings([BOTH], 91))).toEqual({
      coverage: 'missing',
      codes: ['no_transcript'],
    });
    // With no rules at all (destinations unknown) a shell that left nothing is still missing.
    expect(project(ended, [], settings([], 91)).coverage).toBe('missing');
  });

  it('is open while the session runs, whatever arrived so far', () => {
    expect(project([start()], [transcript('cloudwatch')], settings([BOTH], 40)).coverage).toBe('open');
  });

  it('is complete when logging is configured off and nothing arrived', () => {
    const off = settings([{ s3: false, cloudwatch: false }]);
    expect(project([start(), terminate(30)], [], off)).toEqual({ coverage: 'complete', codes: [] });
  });

  it('never expects a transcript from port forwarding or SSH', () => {
    const forward = [start({ document_name: 'AWS-StartPortForwardingSession' }), terminate(30)];
    expect(project(forward, [], settings([BOTH]))).toEqual({ coverage: 'not_recordable', codes: [] });
    const ssh = [start({ document_name: 'AWS-StartSSHSession' }), terminate(30)];
    expect(project(ssh, [], settings([BOTH])).coverage).toBe('not_recordable');
  });
});

describe('integrity findings', () => {
  it('flags a transcript that names another target or owner than CloudTrail', () => {
    const forged = transcript('cloudwatch', {
      claimed_target: 'i-0ffffffffffffffff',
      claimed_principal_arn: 'arn:aws:sts::111122223333:assumed-role/OpsRole/mallory',
    });
    const r = project([start(), terminate(30)], [transcript('s3'), forged], settings([BOTH]));
    expect(r.codes).toEqual(['owner_mismatch:cloudwatch-1', 'target_mismatch:cloudwatch-1']);
  });

  it('flags two different versions of the same S3 object, and keeps both', () => {
    const v2 = transcript('s3', { transcript_id: 's3-2', sha256: 'bb' });
    const r = projectSession(SID, [start(), terminate(30)], [], [transcript('s3'), v2], settings([]))!;
    expect(r.findings.map((f) => f.code)).toEqual([`object_changed:logs/${SID}.log`]);
  });

  it('flags a transcript whose content names another session than the one it is filed under', () => {
    const copied = transcript('s3', { claimed_session_id: 'bob-0ffffffffffffffff' });
    const r = project([start(), terminate(30)], [copied], settings([]));
    expect(r.codes).toEqual(['session_mismatch:s3-1']);
    // Known only from that transcript, it is still flagged: the mismatch is inside the evidence itself.
    expect(project([], [copied], settings([])).codes).toEqual(['session_mismatch:s3-1']);
  });

  it('trusts nothing a transcript says until CloudTrail confirms it', () => {
    const alone = projectSession(SID, [], [], [transcript('cloudwatch')], settings([]))!;
    expect(alone.session.identityVerified).toBe(false);
    expect(alone.session.actor).toBe('alice');
    expect(alone.findings).toEqual([]);
    const confirmed = projectSession(SID, [start()], [], [transcript('cloudwatch')], settings([]))!;
    expect(confirmed.session.identityVerified).toBe(true);
  });
});
