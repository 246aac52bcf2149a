import { SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import {
  destinationsFromDocument,
  resolveExpectedDestinations,
} from '../../../src/ingest/aws/preferences.ts';
import { testAwsClientConfig } from '../../fakes/client-config.ts';
import { type SsmFake, sessionPreferencesDocument, startSsmFake } from '../../fakes/ssm.ts';

let fakes: SsmFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

describe('destinationsFromDocument', () => {
  it('reads the bucket and log group of a session document', () => {
    expect(destinationsFromDocument(sessionPreferencesDocument({ s3BucketName: 'logs' }))).toEqual({
      s3: true,
      cloudwatch: false,
    });
    expect(destinationsFromDocument(sessionPreferencesDocument({ cloudWatchLogGroupName: '/ssm' }))).toEqual({
      s3: false,
      cloudwatch: true,
    });
    expect(destinationsFromDocument(sessionPreferencesDocument())).toEqual({ s3: false, cloudwatch: false });
    expect(destinationsFromDocument('not json')).toBeNull();
    expect(destinationsFromDocument('{"schemaVersion":"2.2","mainSteps":[]}')).toBeNull();
  });
});

describe('resolveExpectedDestinations', () => {
  it('puts the config rules first, then what each region and custom document says, skipping what it may not read', async () => {
    const tokyo = await startSsmFake({
      sessionPreferences: { s3BucketName: 'audit-logs', cloudWatchLogGroupName: '/ssm/sessions' },
      documents: { 'Team-Shell': sessionPreferencesDocument({ cloudWatchLogGroupName: '/team' }) },
    });
    const dublin = await startSsmFake({ documents: {} }); // no preferences document there
    fakes.push(tokyo, dublin);
    const config = configSchema.parse({
      sessions: {
        expectedDestinations: [
          { accountId: '111122223333', region: 'us-east-1', s3: true, cloudwatch: false },
        ],
        preferences: [
          {
            region: 'ap-northeast-1',
            accountId: '111122223333',
            endpoint: tokyo.url,
            customDocuments: ['Team-Shell', 'Missing-Doc'],
          },
          { region: 'eu-west-1', endpoint: dublin.url },
        ],
      },
    });
    const logs: string[] = [];
    const rules = await resolveExpectedDestinations(
      config,
      (l) => logs.push(l),
      (p) => new SSMClient({ ...testAwsClientConfig(p.endpoint!, { region: p.region }), maxAttempts: 1 }),
    );
    expect(rules).toEqual([
      { accountId: '111122223333', region: 'us-east-1', s3: true, cloudwatch: false },
      { accountId: '111122223333', region: 'ap-northeast-1', s3: true, cloudwatch: true },
      {
        accountId: '111122223333',
        region: 'ap-northeast-1',
        documentName: 'Team-Shell',
        s3: false,
        cloudwatch: true,
      },
    ]);
    expect(logs.some((l) => l.includes('Missing-Doc'))).toBe(true);
    expect(logs.some((l) => l.includes('eu-west-1/SSM-SessionManagerRunShell'))).toBe(true);
  });
});
