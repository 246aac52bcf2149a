/**
 * A seeded synthetic CloudTrail trail in real S3 layout (`AWSLogs/<acct>/CloudTrail/<region>/
 * YYYY/MM/DD/<acct>_CloudTrail_<region>_<stamp>_<rand>.json.gz`): mostly noise from other services
 * with realistic sizes, and a share of Session Manager events (starts, terminates, resumes, denied).
 * Used by the cloudtrail benchmark and the crash-recovery test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { apiCallTail } from '../../src/demo/trail.ts';
import { base36, hex, type Rng, seededRng, uuid } from './random.ts';

export interface TrailOptions {
  dir: string;
  records: number;
  seed?: number;
  recordsPerFile?: number;
  /** Share of records that are StartSession / TerminateSession / ResumeSession. */
  sessionShare?: number;
  accounts?: string[];
  regions?: string[];
  /** First event time (ms); events advance by a few seconds each. */
  startMs?: number;
  gzipLevel?: number;
}

export interface TrailStats {
  files: number;
  records: number;
  sessionRecords: number;
  bytes: number;
}

const NOISE: [string, string][] = [
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['ec2.amazonaws.com', 'DescribeSecurityGroups'],
  ['s3.amazonaws.com', 'GetBucketAcl'],
  ['s3.amazonaws.com', 'ListBuckets'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['kms.amazonaws.com', 'Decrypt'],
  ['kms.amazonaws.com', 'GenerateDataKey'],
  ['logs.amazonaws.com', 'CreateLogStream'],
  ['ssm.amazonaws.com', 'GetParameter'],
  ['ssm.amazonaws.com', 'UpdateInstanceInformation'],
  ['monitoring.amazonaws.com', 'GetMetricData'],
  ['iam.amazonaws.com', 'GetRole'],
];
const USERS = ['alice', 'bob', 'carol', 'deploy-bot', 'ci-runner'];
const SSO = ['tanaka.hiroshi@example.co.jp', 'sato.yuki@example.co.jp', 'j.smith@example.com'];
const DOCS = [undefined, undefined, undefined, 'AWS-StartPortForwardingSession', 'AWS-StartSSHSession'];

export function generateTrail(options: TrailOptions): TrailStats {
  const rng = seededRng(options.seed ?? 1);
  const perFile = options.recordsPerFile ?? 1000;
  const share = options.sessionShare ?? 0.02;
  const accounts = options.accounts ?? ['111122223333', '444455556666'];
  const regions = options.regions ?? ['us-east-1', 'ap-northeast-1'];
  let time = options.startMs ?? Date.parse('2025-06-02T00:00:00Z');
  const open: { id: string; account: string; region: string; identity: Record<string, unknown> }[] = [];
  const stats: TrailStats = { files: 0, records: 0, sessionRecords: 0, bytes: 0 };
  let seq = 0;
  while (stats.records < options.records) {
    const account = rng.pick(accounts);
    const region = rng.pick(regions);
    const n = Math.min(perFile, options.records - stats.records);
    const records: unknown[] = [];
    const fileStart = time;
    for (let i = 0; i < n; i++) {
      time += rng.int(0, 3000);
      const eventTime = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (rng.chance(share)) {
        records.push(sessionRecord(rng, open, account, region, eventTime, seq++));
        stats.sessionRecords++;
      } else records.push(noiseRecord(rng, account, region, eventTime, seq++));
    }
    const d = new Date(fileStart);
    const ymd = d.toISOString().slice(0, 10).split('-');
    const stamp = d.toISOString().slice(0, 16).replace(/[-:]/g, '');
    const folder = join(options.dir, 'AWSLogs', account, 'CloudTrail', region, ...ymd);
    mkdirSync(folder, { recursive: true });
    const body = gzipSync(JSON.stringify({ Records: records }), { level: options.gzipLevel ?? 6 });
    writeFileSync(join(folder, `${account}_CloudTrail_${region}_${stamp}Z_${hex(rng, 16)}.json.gz`), body);
    stats.files++;
    stats.records += n;
    stats.bytes += body.length;
  }
  return stats;
}

function identityFor(rng: Rng, account: string): Record<string, unknown> {
  if (rng.chance(0.5)) {
    const user = rng.pick(USERS);
    return {
      type: 'IAMUser',
      principalId: `AIDA${hex(rng, 16).toUpperCase()}`,
      arn: `arn:aws:iam::${account}:user/${user}`,
      accountId: account,
      accessKeyId: `AKIA${hex(rng, 16).toUpperCase()}`,
      userName: user,
    };
  }
  const email = rng.pick(SSO);
  const role = 'AWSReservedSSO_AdministratorAccess_0123456789abcdef';
  return {
    type: 'AssumedRole',
    principalId: `AROA${hex(rng, 16).toUpperCase()}:${email}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${email}`,
    accountId: account,
    accessKeyId: `ASIA${hex(rng, 16).toUpperCase()}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: `AROA${hex(rng, 16).toUpperCase()}`,
        arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${role}`,
        accountId: account,
        userName: role,
      },
      attributes: { creationDate: '2025-06-02T00:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

function base(
  rng: Rng,
  account: string,
  region: string,
  eventTime: string,
  seq: number,
  identity: Record<string, unknown>,
) {
  return {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime,
    awsRegion: region,
    sourceIPAddress: `203.0.113.${rng.int(1, 254)}`,
    userAgent: rng.pick([
      'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.amzn.2023',
      'Boto3/1.34.50 md/Botocore#1.34.50 ua/2.0 os/linux#6.1 lang/python#3.11',
      'console.amazonaws.com',
    ]),
    requestID: uuid(rng),
    eventID: `${uuid(rng).slice(0, 28)}${seq.toString(16).padStart(8, '0')}`,
    readOnly: true,
    ...apiCallTail(account, `service.${region}.amazonaws.com`),
  };
}

function noiseRecord(rng: Rng, account: string, region: string, eventTime: string, seq: number) {
  const [eventSource, eventName] = rng.pick(NOISE);
  return {
    ...base(rng, account, region, eventTime, seq, identityFor(rng, account)),
    eventSource,
    eventName,
    requestParameters: {
      filterSet: { items: [{ name: 'tag:Environment', valueSet: { items: [{ value: 'production' }] } }] },
      maxResults: 100,
      resourceId: `i-${hex(rng, 17)}`,
    },
    responseElements: null,
    resources: [
      {
        accountId: account,
        type: 'AWS::EC2::Instance',
        ARN: `arn:aws:ec2:${region}:${account}:instance/i-${hex(rng, 17)}`,
      },
    ],
  };
}

function sessionRecord(
  rng: Rng,
  open: { id: string; account: string; region: string; identity: Record<string, unknown> }[],
  account: string,
  region: string,
  eventTime: string,
  seq: number,
) {
  if (open.length > 0 && rng.chance(0.35)) {
    const s = open.splice(rng.int(0, open.length - 1), 1)[0]!;
    return {
      ...base(rng, s.account, s.region, eventTime, seq, s.identity),
      eventSource: 'ssm.amazonaws.com',
      eventName: rng.chance(0.9) ? 'TerminateSession' : 'ResumeSession',
      requestParameters: { sessionId: s.id },
      responseElements: { sessionId: s.id },
    };
  }
  const identity = identityFor(rng, account);
  const name = (identity.userName as string | undefined) ?? String(identity.arn).split('/').at(-1)!;
  const denied = rng.chance(0.08);
  const id = `${name}-${rng.chance(0.5) ? hex(rng, 17) : base36(rng, 26)}`;
  const doc = rng.pick(DOCS);
  if (!denied) open.push({ id, account, region, identity });
  return {
    ...base(rng, account, region, eventTime, seq, identity),
    eventSource: 'ssm.amazonaws.com',
    eventName: 'StartSession',
    ...(denied
      ? {
          errorCode: 'AccessDenied',
          errorMessage: `User: ${identity.arn} is not authorized to perform: ssm:StartSession`,
        }
      : {}),
    requestParameters: {
      target: `i-${hex(rng, 17)}`,
      ...(doc ? { documentName: doc } : {}),
      ...(doc === 'AWS-StartPortForwardingSession'
        ? { parameters: { portNumber: ['5432'], localPortNumber: ['15432'] } }
        : {}),
    },
    responseElements: denied
      ? null
      : {
          sessionId: id,
          tokenValue: 'Value hidden due to security reasons.',
          streamUrl: `wss://ssmmessages.${region}.amazonaws.com/v1/data-channel/${id}?role=publish_subscribe`,
        },
  };
}
