/**
 * Builders for CloudTrail records shaped like real ones (see ssm-formats.md §1): IAM users, SSO
 * assumed roles, Root, records without a userIdentity type, denied calls, noise from other services.
 */
let counter = 0;

export type Identity = Record<string, unknown>;

export const identities = {
  iamUser: (name = 'alice', account = '111122223333'): Identity => ({
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLE1234567890',
    arn: `arn:aws:iam::${account}:user/${name}`,
    accountId: account,
    accessKeyId: 'AKIAEXAMPLE',
    userName: name,
  }),
  sso: (email = 'tanaka.hiroshi@example.co.jp', account = '111122223333'): Identity => ({
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE:${email}`,
    arn: `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/${email}`,
    accountId: account,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLE',
        arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/ap-northeast-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef`,
        accountId: account,
        userName: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
      },
      attributes: { creationDate: '2026-11-24T08:00:00Z', mfaAuthenticated: 'false' },
    },
  }),
  root: (account = '111122223333'): Identity => ({
    type: 'Root',
    principalId: account,
    arn: `arn:aws:iam::${account}:root`,
    accountId: account,
  }),
  untyped: (account = '111122223333'): Identity => ({
    principalId: 'AROAEXAMPLE:ops-bot',
    arn: `arn:aws:sts::${account}:assumed-role/OpsAutomation/ops-bot`,
    accountId: account,
  }),
};

export interface StartOptions {
  sessionId?: string;
  eventId?: string;
  time?: string;
  identity?: Identity;
  target?: string;
  documentName?: string;
  parameters?: unknown;
  reason?: string;
  region?: string;
  account?: string;
  errorCode?: string;
}

export function startSession(o: StartOptions = {}): Record<string, unknown> {
  const identity = o.identity ?? identities.iamUser();
  const region = o.region ?? 'ap-northeast-1';
  const sessionId = o.sessionId ?? `alice-${(++counter).toString(16).padStart(17, '0')}`;
  const request: Record<string, unknown> = { target: o.target ?? 'i-0a1b2c3d4e5f60718' };
  if (o.documentName) request.documentName = o.documentName;
  if (o.parameters !== undefined) request.parameters = o.parameters;
  if (o.reason) request.reason = o.reason;
  return {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: o.time ?? '2026-11-24T08:15:02Z',
    eventSource: 'ssm.amazonaws.com',
    eventName: 'StartSession',
    awsRegion: region,
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 command/ssm.start-session',
    ...(o.errorCode
      ? { errorCode: o.errorCode, errorMessage: `User is not authorized to perform: ssm:StartSession` }
      : {}),
    requestParameters: request,
    responseElements: o.errorCode
      ? null
      : {
          sessionId,
          tokenValue: 'Value hidden due to security reasons.',
          streamUrl: `wss://ssmmessages.${region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe`,
        },
    requestID: `req-${counter}`,
    eventID: o.eventId ?? `evt-start-${++counter}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: o.account ?? (identity.accountId as string) ?? '111122223333',
    eventCategory: 'Management',
  };
}

export function terminateSession(
  sessionId: string,
  o: { time?: string; eventId?: string; identity?: Identity; region?: string; name?: string } = {},
): Record<string, unknown> {
  const identity = o.identity ?? identities.iamUser();
  return {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: o.time ?? '2026-11-24T08:45:10Z',
    eventSource: 'ssm.amazonaws.com',
    eventName: o.name ?? 'TerminateSession',
    awsRegion: o.region ?? 'ap-northeast-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { sessionId },
    responseElements: { sessionId },
    eventID: o.eventId ?? `evt-term-${++counter}`,
    recipientAccountId: (identity.accountId as string) ?? '111122223333',
  };
}

const NOISE = [
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['s3.amazonaws.com', 'GetBucketAcl'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['kms.amazonaws.com', 'Decrypt'],
  ['ssm.amazonaws.com', 'GetParameter'],
  ['ssm.amazonaws.com', 'UpdateInstanceInformation'],
] as const;

export function noise(i = counter++): Record<string, unknown> {
  const [eventSource, eventName] = NOISE[i % NOISE.length]!;
  return {
    eventVersion: '1.08',
    userIdentity: identities.iamUser('ci-bot'),
    eventTime: '2026-11-24T08:10:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-sdk-go/1.44',
    requestParameters: { name: 'x' },
    responseElements: null,
    eventID: `evt-noise-${i}-${counter++}`,
    recipientAccountId: '111122223333',
  };
}

export function trailFile(records: unknown[]): string {
  return JSON.stringify({ Records: records });
}
