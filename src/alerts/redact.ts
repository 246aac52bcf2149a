/**
 * Redaction of secrets in command text that leaves the system (notifications, excerpts): AWS keys,
 * tokens and passwords typed on command lines. Our own patterns are simple, anchored and linear in
 * practice; patterns from the config go through RE2 (linear time), since they are user input.
 */
import { RE2JS } from 're2js';

export const REDACTED = '[REDACTED]';

/** With a first group, that group (the key, the flag) is kept and what follows it is the secret. */
const BUILTIN: RegExp[] = [
  // AWS access key ids and the like.
  /\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}\b/g,
  // key=value and key: value for secret-looking keys (env assignments, flags with =, headers).
  /\b([A-Za-z0-9_.-]*(?:secret|passw(?:or)?d|pwd|token|api[_-]?key|access[_-]?key|private[_-]?key|auth)[A-Za-z0-9_.-]*\s*[=:]\s*)(?!(?:bearer|basic)\s)("[^"]*"|'[^']*'|[^\s'";&|]+)/gi,
  // Flags followed by their secret as the next word: --password x, -p x (mysql -pX too), --token x.
  /(\s--?(?:password|passwd|pass|token|secret|api-key|access-key|secret-key)[ =])("[^"]*"|'[^']*'|[^\s'";&|]+)/gi,
  /(\s-p)([^\s'";&|]{3,})/g,
  // Authorization headers: Bearer / Basic credentials.
  /(\b(?:bearer|basic)\s+)([A-Za-z0-9._~+/=-]{8,})/gi,
  // Credentials in URLs: scheme://user:password@host.
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(?=@)/gi,
  // Long high-entropy-looking tokens (GitHub, Slack, JWT-ish).
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
];

export type Redactor = (text: string) => string;

/**
 * A redactor with the built-in patterns and the configured ones (RE2 syntax; the whole match is
 * replaced). Throws on a configured pattern RE2 cannot compile, naming it by position only.
 *
 * @example createRedactor([])('mysql -u root -phunter22') // 'mysql -u root -p[REDACTED]'
 */
export function createRedactor(extra: string[]): Redactor {
  const custom = extra.map((p, i) => {
    try {
      return RE2JS.compile(p);
    } catch {
      throw new Error(`detection.redactPatterns[${i}] is not a valid RE2 pattern`);
    }
  });
  return function redact(text: string): string {
    let out = text;
    for (const re of BUILTIN) {
      out = out.replace(re, (match: string, keep?: string) =>
        typeof keep === 'string' && match.startsWith(keep) ? `${keep}${REDACTED}` : REDACTED,
      );
    }
    for (const re of custom) out = re.matcher(out).replaceAll(REDACTED);
    return out;
  };
}
