/** Loopback fakes of the AWS APIs shelltrail reads, for tests. Real SDK clients talk to them unchanged. */
export {
  AwsFakeError,
  type Fault,
  type FaultKind,
  type JsonServerState,
  type OperationStats,
  type RateLimit,
} from './aws-json-server.ts';
export {
  TEST_CREDENTIALS,
  TEST_REGION,
  type TestAwsClientConfig,
  testAwsClientConfig,
} from './client-config.ts';
export {
  type CloudTrailFake,
  type CloudTrailFakeOptions,
  type CloudTrailRecord,
  startCloudTrailFake,
} from './cloudtrail.ts';
export {
  type FakeLogEvent,
  type FakeLogGroup,
  type FakeLogStream,
  type LogsFake,
  type LogsFakeOptions,
  type StoredLogEvent,
  startLogsFake,
} from './cloudwatch-logs.ts';
export { type S3Fake, type S3FakeOptions, startS3 } from './s3.ts';
export {
  type FakeSession,
  SESSION_PREFERENCES_DOCUMENT,
  type SessionPreferencesInputs,
  type SsmFake,
  type SsmFakeOptions,
  sessionPreferencesDocument,
  startSsmFake,
} from './ssm.ts';
