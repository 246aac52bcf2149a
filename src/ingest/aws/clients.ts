/**
 * AWS client configuration the way AWS users expect: the default credential chain (env, SSO,
 * profiles, instance roles) unless a profile is named, a region per source, and an endpoint
 * override per source for S3-compatible stores and tests.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { fromIni } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsAccess } from '../../config.ts';

/** How many attempts the SDK itself makes: ingest sources make 1 and retry in retry.ts. */
export interface ClientOptions {
  maxAttempts?: number;
}

export interface ClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: ReturnType<typeof fromIni>;
  requestHandler: NodeHttpHandler;
  maxAttempts: number;
  retryMode: 'adaptive';
  requestChecksumCalculation: 'WHEN_REQUIRED';
  responseChecksumValidation: 'WHEN_REQUIRED';
}

/**
 * Builds the SDK client config for one source. Checksum defaults are relaxed to what the service
 * requires so S3-compatible stores work. Ingest sources pass `maxAttempts` 1: their own retry loop
 * (retry.ts) then sees every attempt, paces it under the API's quota and fails fast on an
 * unreachable endpoint, instead of the SDK's hidden retries multiplying with ours.
 *
 * @example const client = createS3Client(source, { maxAttempts: 1 });
 */
export function awsClientConfig(access: AwsAccess, maxAttempts = 6): ClientConfig {
  return {
    ...(access.region ? { region: access.region } : {}),
    ...(access.endpoint ? { endpoint: access.endpoint } : {}),
    ...(access.profile ? { credentials: fromIni({ profile: access.profile }) } : {}),
    // A hung endpoint must become a retryable timeout, not a source stuck forever.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 60_000 }),
    maxAttempts,
    retryMode: 'adaptive',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** An S3 client for one source; path-style addressing for S3-compatible stores when asked. */
export function createS3Client(
  access: AwsAccess & { forcePathStyle?: boolean },
  options: ClientOptions = {},
): S3Client {
  return new S3Client({
    ...awsClientConfig(access, options.maxAttempts),
    forcePathStyle: access.forcePathStyle ?? false,
  });
}

/** A CloudTrail client (LookupEvents) for one account and region. */
export function createCloudTrailClient(access: AwsAccess, options: ClientOptions = {}): CloudTrailClient {
  return new CloudTrailClient(awsClientConfig(access, options.maxAttempts));
}

/** An SSM client (DescribeSessions, GetDocument) for one account and region. */
export function createSsmClient(access: AwsAccess, options: ClientOptions = {}): SSMClient {
  return new SSMClient(awsClientConfig(access, options.maxAttempts));
}

/** A CloudWatch Logs client for one log group's account and region. */
export function createCloudWatchLogsClient(
  access: AwsAccess,
  options: ClientOptions = {},
): CloudWatchLogsClient {
  return new CloudWatchLogsClient(awsClientConfig(access, options.maxAttempts));
}
