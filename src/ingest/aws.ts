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
 * Builds the SDK client config for one source. Adaptive retry backs off on throttling and 5xx;
 * checksum defaults are relaxed to what the service requires so S3-compatible stores work.
 *
 * @example new S3Client({ ...awsClientConfig(source), forcePathStyle: source.forcePathStyle })
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
