/** Secrets typed on command lines never leave in notifications. */
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/alerts/redact.ts';

describe('redaction', () => {
  const redact = createRedactor(['corp-[0-9]{6}']);
  it.each([
    [
      'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'export AWS_SECRET_ACCESS_KEY=[REDACTED]',
    ],
    [
      'aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE',
      'aws configure set aws_access_key_id [REDACTED]',
    ],
    ['mysql -u root -phunter22 db', 'mysql -u root -p[REDACTED] db'],
    ['psql --password s3cr3t', 'psql --password [REDACTED]'],
    [
      'curl -H "Authorization: Bearer abcdefghijklmnop" https://x',
      'curl -H "Authorization: Bearer [REDACTED]" https://x',
    ],
    [
      'git clone https://bob:pa55word@git.example.com/r.git',
      'git clone https://bob:[REDACTED]@git.example.com/r.git',
    ],
    ['DB_PASSWORD="my pass" ./run', 'DB_PASSWORD=[REDACTED] ./run'],
    ['echo ghp_abcdefghijklmnopqrstuvwxyz0123', 'echo [REDACTED]'],
    ['login corp-123456', 'login [REDACTED]'],
  ])('%s', (input, output) => {
    expect(redact(input)).toBe(output);
  });
  it('leaves ordinary commands alone', () => {
    for (const t of [
      'ls -la /var/log',
      'sudo systemctl restart nginx',
      'ps -p 1234',
      'grep -r token_count src/',
    ])
      expect(redact(t)).toBe(t);
  });
  it('refuses a configured pattern RE2 cannot compile, without quoting it', () => {
    expect(() => createRedactor(['(?<=x)y'])).toThrow(
      'detection.redactPatterns[0] is not a valid RE2 pattern',
    );
  });
});
