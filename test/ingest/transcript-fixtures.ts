/** The real-shell fixtures (test/fixtures/sessions/<name>/): S3 form, CloudWatch form, metadata. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/sessions');

export interface SessionFixture {
  name: string;
  sessionId: string;
  target: string;
  userArn: string;
  runAsUser: string;
  s3Key: string;
  s3: Buffer;
  cloudwatch: Array<{ timestamp: number; message: string }>;
}

export function loadFixture(name: string): SessionFixture {
  const dir = join(FIXTURES_DIR, name);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
    sessionId: string;
    target: string;
    userArn: string;
    runAsUser: string;
  };
  return {
    name,
    ...meta,
    s3Key: `${meta.sessionId}.log`,
    s3: readFileSync(join(dir, `${meta.sessionId}.log`)),
    cloudwatch: JSON.parse(readFileSync(join(dir, 'cloudwatch.json'), 'utf8')),
  };
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((n) => existsSync(join(FIXTURES_DIR, n, 'meta.json')))
    .sort();
}
