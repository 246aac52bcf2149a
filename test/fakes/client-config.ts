/**
 * Client configuration for real AWS SDK clients pointed at a loopback fake. Spread it into any client:
 * `new SSMClient(testAwsClientConfig(fake.url))`, or with overrides
 * `new SSMClient({ ...testAwsClientConfig(fake.url), maxAttempts: 1 })`.
 */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } as const;
export const TEST_REGION = 'us-east-1';

export interface TestAwsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

/** Static dummy credentials, explicit region, and the fake's endpoint; `maxAttempts` only when given. */
export function testAwsClientConfig(
  endpoint: string,
  options: { region?: string; maxAttempts?: number } = {},
): TestAwsClientConfig {
  const config: TestAwsClientConfig = {
    endpoint,
    region: options.region ?? TEST_REGION,
    credentials: { ...TEST_CREDENTIALS },
  };
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  return config;
}
