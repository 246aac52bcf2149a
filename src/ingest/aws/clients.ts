/**
 * AWS client configuration the way AWS users expect: the default credential chain (env, SSO,
 * profiles, instance roles) unless a profile is named, a region per source, and an endpoint
 * override per source for S3-compatible stores and tests.
 */
import { fromIni } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsAccess } from '../config.ts';

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
 * @example new S3Client({ ...awsClientConfig(source, 1), forcePathStyle: source.forcePathStyle })
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
