import { describe, expect, it } from 'vitest';
import { actorOf, normalizeParameters, normalizeRecord } from '../../../src/ingest/normalize/cloudtrail.ts';
import { identities, noise, startSession, terminateSession } from '../records.ts';

describe('normalizeRecord', () => {
  it('turns a StartSession into the session fields, keeping the raw record', () => {
    const rec = startSession({
      sessionId: 'alice-0a1b2c3d4e5f60718',
      documentName: 'AWS-StartPortForwardingSession',
      parameters: { portNumber: ['3306'], localPortNumber: ['13306'] },
      reason: '本番DBの調査',
    });
    const row = normalizeRecord(rec, 'file:///x')!;
    expect(row).toMatchObject({
      eventName: 'StartSession',
      eventTime: Date.parse('2026-11-24T08:15:02Z'),
      sessionId: 'alice-0a1b2c3d4e5f60718',
      accountId: '111122223333',
      region: 'ap-northeast-1',
      target: 'i-0a1b2c3d4e5f60718',
      documentName: 'AWS-StartPortForwardingSession',
      reason: '本番DBの調査',
      principalArn: 'arn:aws:iam::111122223333:user/alice',
      principalType: 'IAMUser',
      actor: 'alice',
      sourceIp: '203.0.113.10',
      errorCode: null,
      origin: 'file:///x',
    });
    expect(JSON.parse(row.parameters!)).toEqual({ portNumber: ['3306'], localPortNumber: ['13306'] });
    expect(JSON.parse(row.raw)).toEqual(rec);
  });

  it('keeps the raw text it is given (LookupEvents strings) byte for byte', () => {
    const text = JSON.stringify(startSession(), null, 1);
    expect(normalizeRecord(JSON.parse(text), 'lookup:x', text)!.raw).toBe(text);
  });

  it('keeps a denied StartSession as an attempt without a session id', () => {
    const row = normalizeRecord(
      startSession({ errorCode: 'AccessDenied', identity: identities.sso() }),
      'o',
    )!;
    expect(row.sessionId).toBeNull();
    expect(row.errorCode).toBe('AccessDenied');
    expect(row.errorMessage).toMatch(/not authorized/);
    expect(row.actor).toBe('tanaka.hiroshi@example.co.jp');
  });

  it('reads the session id of Terminate and Resume from the request', () => {
    expect(normalizeRecord(terminateSession('bob-01234567890abcdef'), 'o')!.sessionId).toBe(
      'bob-01234567890abcdef',
    );
    const resume = terminateSession('bob-01234567890abcdef', { name: 'ResumeSession' });
    expect(normalizeRecord(resume, 'o')!.eventName).toBe('ResumeSession');
  });

  it('returns null for noise: other services and other SSM calls', () => {
    for (let i = 0; i < 6; i++) expect(normalizeRecord(noise(i), 'o')).toBeNull();
    expect(normalizeRecord(null, 'o')).toBeNull();
    expect(normalizeRecord('text', 'o')).toBeNull();
  });

  it('rejects a Session Manager record it cannot key or date', () => {
    const noId = { ...startSession(), eventID: undefined };
    expect(() => normalizeRecord(noId, 'o')).toThrow(expect.objectContaining({ reason: 'bad_record' }));
    const badTime = { ...startSession(), eventTime: 'yesterday' };
    expect(() => normalizeRecord(badTime, 'o')).toThrow(/eventTime/);
    const noSession = { ...startSession(), responseElements: null };
    expect(() => normalizeRecord(noSession, 'o')).toThrow(/neither a session id nor an error/);
  });
});

describe('actorOf', () => {
  it('follows the reference: IAM user name, role session name, root, else arn/principal/service', () => {
    expect(actorOf(identities.iamUser('carol'))).toBe('carol');
    expect(actorOf(identities.sso('sato@example.com'))).toBe('sato@example.com');
    expect(actorOf(identities.root())).toBe('root');
    expect(actorOf(identities.untyped())).toBe('ops-bot');
    expect(actorOf({ arn: 'arn:aws:iam::111122223333:root' })).toBe('root');
    expect(actorOf({ arn: 'arn:aws:iam::111122223333:user/dev/dave' })).toBe('dave');
    expect(actorOf({ type: 'AWSService', invokedBy: 'ssm.amazonaws.com' })).toBe('ssm.amazonaws.com');
    expect(actorOf({ type: 'FederatedUser', arn: 'arn:aws:sts::111122223333:federated-user/eve' })).toBe(
      'arn:aws:sts::111122223333:federated-user/eve',
    );
    expect(actorOf({ type: 'SAMLUser', principalId: 'x:y' })).toBe('x:y');
    expect(actorOf(undefined)).toBeNull();
  });
});

describe('normalizeParameters', () => {
  it('accepts a map of string arrays, a JSON string of one, or a bare string', () => {
    expect(normalizeParameters({ command: ['top'] })).toBe('{"command":["top"]}');
    expect(normalizeParameters('{"command":["top"]}')).toBe('{"command":["top"]}');
    expect(normalizeParameters('portNumber=22')).toBe('{"value":["portNumber=22"]}');
    expect(normalizeParameters({ portNumber: '22' })).toBe('{"portNumber":["22"]}');
    expect(normalizeParameters(null)).toBeNull();
  });
});
