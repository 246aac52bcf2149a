/**
 * The demo's CloudTrail evidence, shaped like the real thing: gzip trail files in S3 layout (an
 * organization trail and a standalone one, several regions), Session Manager events hidden among
 * many noise events, a duplicate delivery, a digest file, the S3 writability probe and one broken
 * object; saved `aws cloudtrail lookup-events` output for an account without a trail; and saved
 * `aws ssm describe-sessions` output for sessions that ended without a TerminateSession.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hex, type Rng, uuid } from '../util/random.ts';
import { type DemoActor, type DemoScenario, ssoRoleName } from './scenario.ts';

type Record_ = Record<string, unknown>;
interface Placed {
  account: string;
  org?: string;
  region: string;
  at: number;
  record: Record_;
}

const NOISE: [string, string][] = [
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['s3.amazonaws.com', 'GetBucketAcl'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['kms.amazonaws.com', 'Decrypt'],
  ['ssm.amazonaws.com', 'GetParameter'],
  ['ssm.amazonaws.com', 'UpdateInstanceInformation'],
  ['ssm.amazonaws.com', 'DescribeInstanceInformation'],
  ['logs.amazonaws.com', 'CreateLogStream'],
  ['monitoring.amazonaws.com', 'PutMetricData'],
];
/** The standalone account has no trail: its events come from saved lookup-events output. */
const LOOKUP_ONLY_ACCOUNT = '777788889999';

export function writeTrailPart(dir: string, scenario: DemoScenario): { files: number } {
  const { rng } = scenario;
  const placed: Placed[] = [];
  const place = (s: { account: { id: string; org?: string }; region: string }, at: number, record: Record_) =>
    placed.push({ account: s.account.id, org: s.account.org, region: s.region, at, record });

  for (const s of scenario.sessions) {
    const request: Record_ = { target: s.target };
    if (s.documentName) request.documentName = s.documentName;
    if (s.parameters) request.parameters = s.parameters;
    if (s.reason) request.reason = s.reason;
    const start = {
      ...envelope(rng, s.actor, s.principalArn, s.account.id, s.region, s.startedAt, s.sourceIp),
      eventName: 'StartSession',
      requestParameters: request,
      responseElements: {
        sessionId: s.sessionId,
        tokenValue: 'Value hidden due to security reasons.',
        streamUrl: `wss://ssmmessages.${s.region}.amazonaws.com/v1/data-channel/${s.sessionId}?role=publish_subscribe`,
      },
    };
    place(s, s.startedAt, start);
    if (rng.chance(0.1)) place(s, s.startedAt + 300_000, start); // CloudTrail delivers duplicates
    if (s.end === 'terminate') {
      place(s, s.endedAt, {
        ...envelope(rng, s.actor, s.principalArn, s.account.id, s.region, s.endedAt, s.sourceIp),
        eventName: 'TerminateSession',
        requestParameters: { sessionId: s.sessionId },
        responseElements: { sessionId: s.sessionId },
      });
    }
    if (rng.chance(0.1)) {
      const at = s.startedAt + Math.floor((s.endedAt - s.startedAt) / 2);
      place(s, at, {
        ...envelope(rng, s.actor, s.principalArn, s.account.id, s.region, at, s.sourceIp),
        eventName: 'ResumeSession',
        requestParameters: { sessionId: s.sessionId },
        responseElements: { sessionId: s.sessionId, tokenValue: 'Value hidden due to security reasons.' },
      });
    }
  }
  for (const a of scenario.attempts) {
    const sourceIp = `198.51.100.${rng.int(2, 250)}`;
    place(a, a.at, {
      ...envelope(rng, a.actor, a.principalArn, a.account.id, a.region, a.at, sourceIp),
      eventName: 'StartSession',
      errorCode: a.errorCode,
      errorMessage:
        a.errorCode === 'AccessDenied'
          ? `User: ${a.principalArn} is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:${a.region}:${a.account.id}:instance/${a.target} because no identity-based policy allows the ssm:StartSession action`
          : `${a.target} is not connected.`,
      requestParameters: { target: a.target, ...(a.documentName ? { documentName: a.documentName } : {}) },
      responseElements: null,
    });
  }
  // Noise: most of every real trail file is other services.
  const ssmCount = placed.length;
  for (let i = 0; i < ssmCount * 25; i++) {
    // Near a Session Manager event, in the same account and region, so files mix both as in life.
    const near = placed[rng.int(0, ssmCount - 1)]!;
    const account = scenario.accounts.find((a) => a.id === near.account)!;
    if (account.id === LOOKUP_ONLY_ACCOUNT) continue;
    const region = near.region;
    const at = near.at + rng.int(-240, 240) * 1000;
    const [eventSource, eventName] = rng.pick(NOISE);
    const actor: DemoActor = { kind: 'iam', name: rng.pick(['deploy-bot', 'ci-runner', 'alice']) };
    place({ account, region }, at, {
      ...envelope(
        rng,
        actor,
        `arn:aws:iam::${account.id}:user/${actor.name}`,
        account.id,
        region,
        at,
        '10.0.12.7',
      ),
      eventSource,
      eventName,
      readOnly: true,
      requestParameters:
        eventName === 'GetParameter' ? { name: '/app/prod/db-host', withDecryption: false } : null,
      responseElements: null,
    });
  }
  let files = 0;
  files += writeTrailFiles(
    join(dir, 'trail'),
    placed.filter((p) => p.account !== LOOKUP_ONLY_ACCOUNT),
    rng,
  );
  files += writeLookupOutput(
    join(dir, 'lookup-events'),
    placed.filter((p) => p.account === LOOKUP_ONLY_ACCOUNT),
  );
  files += writeDescribeOutput(join(dir, 'describe-sessions'), scenario);
  return { files };
}

function envelope(
  rng: Rng,
  actor: DemoActor,
  arn: string,
  account: string,
  region: string,
  at: number,
  ip: string,
) {
  return {
    eventVersion: rng.pick(['1.08', '1.09', '1.10']),
    userIdentity: identity(rng, actor, arn, account),
    eventTime: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'ssm.amazonaws.com',
    awsRegion: region,
    sourceIPAddress: ip,
    userAgent:
      'aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#ssm.start-session',
    requestID: uuid(rng),
    eventID: uuid(rng),
    readOnly: false,
    ...apiCallTail(account, `ssm.${region}.amazonaws.com`),
  };
}

/** The fields that close every management API-call record, as CloudTrail writes them. */
export function apiCallTail(account: string, host: string) {
  return {
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: host,
    },
  };
}

function identity(rng: Rng, actor: DemoActor, arn: string, account: string): Record_ {
  switch (actor.kind) {
    case 'iam':
      return {
        type: 'IAMUser',
        principalId: `AIDA${hex(rng, 16).toUpperCase()}`,
        arn,
        accountId: account,
        accessKeyId: `AKIA${hex(rng, 16).toUpperCase()}`,
        userName: actor.name,
      };
    case 'root':
      return {
        type: 'Root',
        principalId: account,
        arn,
        accountId: account,
        accessKeyId: `ASIA${hex(rng, 16).toUpperCase()}`,
      };
    case 'untyped':
      return { principalId: `AROA${hex(rng, 16).toUpperCase()}:${actor.name}`, arn, accountId: account };
    case 'sso':
      return {
        type: 'AssumedRole',
        principalId: `AROA${hex(rng, 16).toUpperCase()}:${actor.name}`,
        arn,
        accountId: account,
        accessKeyId: `ASIA${hex(rng, 16).toUpperCase()}`,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: `AROA${hex(rng, 16).toUpperCase()}`,
            arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/ap-northeast-1/${ssoRoleName()}`,
            accountId: account,
            userName: ssoRoleName(),
          },
          attributes: { creationDate: '2026-11-23T00:00:00Z', mfaAuthenticated: 'false' },
        },
      };
  }
}

/** Groups events into 5-minute files per account and region, as CloudTrail delivers them. */
function writeTrailFiles(root: string, placed: Placed[], rng: Rng): number {
  const groups = new Map<string, Placed[]>();
  for (const p of placed) {
    const bucket = Math.floor(p.at / 300_000) * 300_000;
    const key = `${p.org ?? ''}|${p.account}|${p.region}|${bucket}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  let files = 0;
  const accountDirs = new Set<string>();
  for (const [key, items] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [org, account, region, bucket] = key.split('|') as [string, string, string, string];
    const d = new Date(Number(bucket) + 300_000 + rng.int(0, 240) * 1000);
    const accountDir = join(root, 'AWSLogs', ...(org ? [org] : []), account);
    accountDirs.add(accountDir);
    const path = join(
      accountDir,
      'CloudTrail',
      region,
      ...d.toISOString().slice(0, 10).split('-'),
      `${account}_CloudTrail_${region}_${d.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z_${hex(rng, 16).toUpperCase()}.json.gz`,
    );
    write(
      path,
      gzipSync(JSON.stringify({ Records: items.sort((a, b) => a.at - b.at).map((p) => p.record) })),
    );
    files++;
  }
  for (const accountDir of [...accountDirs].sort()) {
    // What else lives in a real trail prefix: the writability probe and integrity digests.
    write(join(accountDir, 'CloudTrail', 'ConfigWritabilityCheckFile'), '');
    const account = accountDir.split(/[\\/]/).at(-1)!;
    write(
      join(
        accountDir,
        'CloudTrail-Digest',
        'ap-northeast-1',
        '2026',
        '11',
        '24',
        `${account}_CloudTrail-Digest_ap-northeast-1_demo_ap-northeast-1_20261124T000000Z.json.gz`,
      ),
      gzipSync(
        JSON.stringify({
          awsAccountId: account,
          digestStartTime: '2026-11-23T23:00:00Z',
          digestEndTime: '2026-11-24T00:00:00Z',
          logFiles: [],
        }),
      ),
    );
  }
  // An object cut short in transit: quarantined with its reason, the rest still imports.
  const [firstAccount] = [...accountDirs].sort();
  write(
    join(
      firstAccount!,
      'CloudTrail',
      'ap-northeast-1',
      '2026',
      '11',
      '25',
      'truncated_CloudTrail_ap-northeast-1_20261125T0000Z_BROKEN0000000000.json.gz',
    ),
    gzipSync('{"Records":[{"eventVersion":"1.09","eventSource":"ec2.amazon').subarray(0, 40),
  );
  return files;
}

function writeLookupOutput(root: string, placed: Placed[]): number {
  if (placed.length === 0) return 0;
  const byRegion = new Map<string, Placed[]>();
  for (const p of placed)
    byRegion.set(`${p.account}-${p.region}`, [...(byRegion.get(`${p.account}-${p.region}`) ?? []), p]);
  for (const [name, items] of byRegion) {
    const events = items
      .sort((a, b) => b.at - a.at) // LookupEvents lists newest first
      .map((p) => ({
        EventId: p.record.eventID,
        EventName: p.record.eventName,
        ReadOnly: 'false',
        EventTime: new Date(p.at).toISOString().replace('Z', '+00:00'),
        EventSource: 'ssm.amazonaws.com',
        Username: String((p.record.userIdentity as Record_).arn)
          .split('/')
          .at(-1),
        Resources: [],
        CloudTrailEvent: JSON.stringify(p.record),
      }));
    write(join(root, `${name}.json`), JSON.stringify({ Events: events }, null, 4));
  }
  return byRegion.size;
}

function writeDescribeOutput(root: string, scenario: DemoScenario): number {
  const byAccount = new Map<string, unknown[]>();
  for (const s of scenario.sessions.filter((x) => x.end === 'describe')) {
    const key = `${s.account.id}-${s.region}`;
    byAccount.set(key, [
      ...(byAccount.get(key) ?? []),
      {
        SessionId: s.sessionId,
        Target: s.target,
        Status: 'Terminated',
        StartDate: cliDate(s.startedAt + 800),
        EndDate: cliDate(s.endedAt),
        ...(s.documentName ? { DocumentName: s.documentName } : {}),
        Owner: s.principalArn,
        ...(s.reason ? { Reason: s.reason } : {}),
        Details: '',
        OutputUrl: {
          S3OutputUrl: '',
          CloudWatchOutputUrl: `https://console.aws.amazon.com/cloudwatch/home?region=${s.region}#logEventViewer:group=/ssm/sessions;stream=${s.sessionId}`,
        },
        MaxSessionDuration: '',
      },
    ]);
  }
  for (const [name, sessions] of byAccount)
    write(join(root, `${name}.json`), JSON.stringify({ Sessions: sessions }, null, 4));
  return byAccount.size;
}

/** `aws` CLI date output: microseconds and an explicit offset. */
function cliDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
