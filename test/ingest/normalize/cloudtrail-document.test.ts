import { describe, expect, it } from 'vitest';
import { parseCloudTrailDocument } from '../../../src/ingest/normalize/cloudtrail-document.ts';
import { identities, noise, startSession, terminateSession, trailFile } from '../records.ts';

const parse = (text: string) => parseCloudTrailDocument(text, 'f.json', '/data/f.json');

describe('parseCloudTrailDocument', () => {
  it('reads a trail file, keeping only Session Manager events but counting every record', () => {
    const doc = parse(trailFile([noise(), startSession(), noise(), terminateSession('alice-1'), noise()]));
    expect(doc.records).toBe(5);
    expect(doc.ctEvents.map((e) => e.eventName)).toEqual(['StartSession', 'TerminateSession']);
  });

  it('reads saved lookup-events output, keeping each CloudTrailEvent string as the raw record', () => {
    const rec = startSession({ identity: identities.root() });
    const text = JSON.stringify(
      { Events: [{ EventId: rec.eventID, EventName: 'StartSession', CloudTrailEvent: JSON.stringify(rec) }] },
      null,
      4,
    );
    const doc = parse(text);
    expect(doc.ctEvents).toHaveLength(1);
    expect(doc.ctEvents[0]!.actor).toBe('root');
    expect(doc.ctEvents[0]!.raw).toBe(JSON.stringify(rec));
  });

  it('reads saved describe-sessions output with CLI date strings', () => {
    const text = JSON.stringify({
      Sessions: [
        {
          SessionId: 'alice-0a1b2c3d4e5f60718',
          Target: 'i-0a1b2c3d4e5f60718',
          Status: 'Terminated',
          StartDate: '2026-11-24T08:15:02.512000+00:00',
          EndDate: '2026-11-24T09:00:00.000000+09:00',
          Owner: 'arn:aws:iam::111122223333:user/alice',
          OutputUrl: {
            S3OutputUrl: '',
            CloudWatchOutputUrl:
              'https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#logEventViewer',
          },
        },
      ],
    });
    const [row] = parse(text).describeSnapshots;
    expect(row).toMatchObject({
      sessionId: 'alice-0a1b2c3d4e5f60718',
      status: 'Terminated',
      accountId: '111122223333',
      region: 'ap-northeast-1',
      startedAt: Date.parse('2026-11-24T08:15:02.512Z'),
      endedAt: Date.parse('2026-11-24T00:00:00Z'),
    });
  });

  it('reads NDJSON, a bare array and a single record', () => {
    const a = startSession();
    const b = terminateSession('alice-1');
    expect(
      parse(`${JSON.stringify(a)}\n${JSON.stringify(noise())}\n${JSON.stringify(b)}\n`).ctEvents,
    ).toHaveLength(2);
    expect(parse(JSON.stringify([a, b])).ctEvents).toHaveLength(2);
    expect(parse(JSON.stringify(a)).ctEvents).toHaveLength(1);
  });

  it('quarantines a bad record alone and keeps the rest', () => {
    const bad = { ...startSession(), eventID: undefined };
    const doc = parse(trailFile([bad, startSession(), 'junk']));
    expect(doc.ctEvents).toHaveLength(1);
    expect(doc.quarantine).toEqual([expect.objectContaining({ itemKey: 'f.json#0', reason: 'bad_record' })]);
    const nd = parse(`${JSON.stringify(startSession())}\n{"eventSource": "ssm.amazon\n`);
    expect(nd.ctEvents).toHaveLength(1);
    expect(nd.quarantine[0]).toMatchObject({ itemKey: 'f.json#2', reason: 'bad_record' });
  });

  it.each([
    ['', 'empty'],
    ['   \n', 'empty'],
    ['{"Records": [{"eventVersion": "1.08"', 'truncated_json'],
    ['{"Records": {"a": 1}}', 'records_not_array'],
    ['{"Records" x}', 'invalid_json'],
    ['{"hello": "world"}', 'not_cloudtrail'],
    ['42', 'not_cloudtrail'],
    ['{"Events": "x"}', 'events_not_array'],
  ])('rejects %j as %s, naming the file', (text, reason) => {
    expect(() => parse(text)).toThrow(
      expect.objectContaining({ reason, message: expect.stringContaining('f.json') }),
    );
  });
});
