import { DescribeSessionsCommand, GetDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { testAwsClientConfig } from './client-config.ts';
import { type FakeSession, type SsmFake, startSsmFake } from './ssm.ts';

const NOW = Date.parse('2026-03-31T12:00:00Z');
const DAY = 24 * 3600 * 1000;

function session(index: number, overrides: Partial<FakeSession> = {}): FakeSession {
  return {
    SessionId: `alice-${String(index).padStart(17, '0')}`,
    Target: `i-0a1b2c3d4e5f6071${index % 3}`,
    Status: 'Terminated',
    StartDate: new Date(NOW - (index + 1) * 3600_000),
    EndDate: new Date(NOW - index * 3600_000),
    DocumentName: 'SSM-SessionManagerRunShell',
    Owner: 'arn:aws:iam::111122223333:user/alice',
    OutputUrl: { S3OutputUrl: 'https://audit.s3.amazonaws.com/sessions/x.log', CloudWatchOutputUrl: '' },
    MaxSessionDuration: '60',
    ...overrides,
  };
}

let fake: SsmFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function clientFor(f: SsmFake): SSMClient {
  return new SSMClient(testAwsClientConfig(f.url, { maxAttempts: 1 }));
}

describe('SSM DescribeSessions fake', () => {
  it('separates Active from History and returns the SDK shape with Date fields', async () => {
    fake = await startSsmFake({
      sessions: [session(1), session(2, { Status: 'Connected', EndDate: undefined, Reason: 'ticket 42' })],
      now: () => NOW,
    });
    const client = clientFor(fake);
    const active = await client.send(new DescribeSessionsCommand({ State: 'Active' }));
    expect(active.Sessions?.map((s) => s.SessionId)).toEqual([session(2).SessionId]);
    expect(active.Sessions?.[0]?.Reason).toBe('ticket 42');
    expect(active.Sessions?.[0]?.EndDate).toBeUndefined();
    const history = await client.send(new DescribeSessionsCommand({ State: 'History' }));
    const only = history.Sessions?.[0];
    expect(history.Sessions).toHaveLength(1);
    expect(only?.StartDate).toEqual(new Date(NOW - 2 * 3600_000));
    expect(only?.EndDate).toEqual(new Date(NOW - 3600_000));
    expect(only?.OutputUrl?.S3OutputUrl).toContain('x.log');
    expect(only).toMatchObject({
      Status: 'Terminated',
      Owner: 'arn:aws:iam::111122223333:user/alice',
      MaxSessionDuration: '60',
    });
  });

  it('paginates newest first and rejects a token issued for other parameters', async () => {
    fake = await startSsmFake({
      sessions: Array.from({ length: 5 }, (_, i) => session(i)),
      now: () => NOW,
      rateLimit: false,
    });
    const client = clientFor(fake);
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await client.send(
        new DescribeSessionsCommand({ State: 'History', MaxResults: 2, NextToken: token }),
      );
      ids.push(...(out.Sessions ?? []).map((s) => s.SessionId!));
      token = out.NextToken;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(ids).toEqual([0, 1, 2, 3, 4].map((i) => session(i).SessionId));

    const first = await client.send(new DescribeSessionsCommand({ State: 'History', MaxResults: 2 }));
    await expect(
      client.send(
        new DescribeSessionsCommand({ State: 'Active', MaxResults: 2, NextToken: first.NextToken }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });

  it('applies filters and validates them', async () => {
    fake = await startSsmFake({
      sessions: Array.from({ length: 6 }, (_, i) => session(i)),
      now: () => NOW,
      rateLimit: false,
    });
    const client = clientFor(fake);
    const byTarget = await client.send(
      new DescribeSessionsCommand({
        State: 'History',
        Filters: [{ key: 'Target', value: 'i-0a1b2c3d4e5f60711' }],
      }),
    );
    expect(byTarget.Sessions?.map((s) => s.SessionId)).toEqual([session(1).SessionId, session(4).SessionId]);
    const after = await client.send(
      new DescribeSessionsCommand({
        State: 'History',
        Filters: [{ key: 'InvokedAfter', value: new Date(NOW - 3 * 3600_000).toISOString() }],
      }),
    );
    expect(after.Sessions).toHaveLength(3);
    await expect(
      client.send(
        new DescribeSessionsCommand({
          State: 'History',
          Filters: [{ key: 'Colour' as 'Owner', value: 'x' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidFilterKey' });
    await expect(
      client.send(
        new DescribeSessionsCommand({
          State: 'History',
          Filters: [{ key: 'InvokedAfter', value: 'yesterday' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidFilterValue' });
    await expect(
      client.send(new DescribeSessionsCommand({ State: 'History', MaxResults: 201 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      client.send(new DescribeSessionsCommand({ State: 'Old' as 'Active' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('keeps only the last 30 days of History relative to now', async () => {
    fake = await startSsmFake({
      sessions: [session(1), session(2, { StartDate: NOW - 40 * DAY, EndDate: NOW - 31 * DAY })],
      now: () => NOW,
    });
    const out = await clientFor(fake).send(new DescribeSessionsCommand({ State: 'History' }));
    expect(out.Sessions?.map((s) => s.SessionId)).toEqual([session(1).SessionId]);
  });

  it('throttles above the configured rate as the SDK ThrottlingException', async () => {
    fake = await startSsmFake({
      sessions: [session(1)],
      now: () => NOW,
      rateLimit: { maxRequests: 1 },
      clock: () => 5,
    });
    const client = clientFor(fake);
    await client.send(new DescribeSessionsCommand({ State: 'History' }));
    await expect(client.send(new DescribeSessionsCommand({ State: 'History' }))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(fake.state.server.stats.throttled).toBe(1);
  });
});

describe('SSM GetDocument fake', () => {
  it('returns the session preferences document content', async () => {
    fake = await startSsmFake({
      sessionPreferences: {
        s3BucketName: 'audit-bucket',
        cloudWatchLogGroupName: '/ssm/sessions',
        runAsEnabled: true,
      },
      rateLimit: false,
    });
    const out = await clientFor(fake).send(new GetDocumentCommand({ Name: 'SSM-SessionManagerRunShell' }));
    expect(out).toMatchObject({
      Name: 'SSM-SessionManagerRunShell',
      DocumentType: 'Session',
      DocumentFormat: 'JSON',
    });
    const content = JSON.parse(out.Content!);
    expect(content.sessionType).toBe('Standard_Stream');
    expect(content.inputs).toMatchObject({
      s3BucketName: 'audit-bucket',
      s3KeyPrefix: '',
      cloudWatchLogGroupName: '/ssm/sessions',
      cloudWatchStreamingEnabled: true,
      runAsEnabled: true,
      idleSessionTimeout: '20',
      shellProfile: { linux: '', windows: '' },
    });
  });

  it('answers InvalidDocument when the preferences were never saved', async () => {
    fake = await startSsmFake({ rateLimit: false });
    await expect(
      clientFor(fake).send(new GetDocumentCommand({ Name: 'SSM-SessionManagerRunShell' })),
    ).rejects.toMatchObject({ name: 'InvalidDocument' });
  });
});
