/**
 * Where transcripts are expected, per account and region: the operator's rules from the config,
 * plus (when permitted) what Session Manager itself is configured to do, read from the
 * `SSM-SessionManagerRunShell` preferences document and from custom session documents, which may
 * carry their own logging settings. Coverage (store/projection.ts) judges sessions against these.
 */
import { GetDocumentCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { Config, SessionPreferencesConfig } from '../../config.ts';
import type { ExpectedDestinations } from '../../store/projection.ts';
import { createSsmClient } from './clients.ts';
import { withRetry } from './retry.ts';

export const PREFERENCES_DOCUMENT = 'SSM-SessionManagerRunShell';

/**
 * Reads the destinations a session document's `inputs` configure: a bucket name means S3 is
 * expected, a log group name CloudWatch. Returns null when the content is not a session document.
 *
 * @example destinationsFromDocument('{"inputs":{"s3BucketName":"logs"}}') // { s3: true, cloudwatch: false }
 */
export function destinationsFromDocument(content: string): { s3: boolean; cloudwatch: boolean } | null {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    return null;
  }
  const inputs = (doc as { inputs?: unknown } | null)?.inputs;
  if (typeof inputs !== 'object' || inputs === null) return null;
  const { s3BucketName, cloudWatchLogGroupName } = inputs as Record<string, unknown>;
  return {
    s3: typeof s3BucketName === 'string' && s3BucketName.trim() !== '',
    cloudwatch: typeof cloudWatchLogGroupName === 'string' && cloudWatchLogGroupName.trim() !== '',
  };
}

/** The rules one account/region's documents give; documents we may not read are skipped and logged. */
export async function readPreferenceDestinations(
  prefs: SessionPreferencesConfig,
  client: SSMClient,
  log: (line: string) => void,
): Promise<ExpectedDestinations[]> {
  const scope = { ...(prefs.accountId ? { accountId: prefs.accountId } : {}), region: prefs.region };
  const out: ExpectedDestinations[] = [];
  for (const name of [PREFERENCES_DOCUMENT, ...prefs.customDocuments]) {
    try {
      const doc = await withRetry(() => client.send(new GetDocumentCommand({ Name: name })), { attempts: 3 });
      const found = destinationsFromDocument(doc.Content ?? '');
      if (!found) {
        log(`session preferences ${prefs.region}/${name}: not a session document; ignored`);
        continue;
      }
      // The preferences document applies to every session without its own document.
      out.push({ ...scope, ...(name === PREFERENCES_DOCUMENT ? {} : { documentName: name }), ...found });
    } catch (err) {
      const e = err as { name?: string };
      log(
        `session preferences ${prefs.region}/${name}: not read (${e.name ?? 'error'}); using the config only`,
      );
    }
  }
  return out;
}

/**
 * Every expected-destination rule: the config's first (they win ties), then the documents'.
 *
 * @example settings.expectedDestinations = await resolveExpectedDestinations(config, log);
 */
export async function resolveExpectedDestinations(
  config: Pick<Config, 'sessions'>,
  log: (line: string) => void,
  clientFor: (prefs: SessionPreferencesConfig) => SSMClient = (p) => createSsmClient(p, { maxAttempts: 3 }),
): Promise<ExpectedDestinations[]> {
  const rules: ExpectedDestinations[] = [...config.sessions.expectedDestinations];
  for (const prefs of config.sessions.preferences) {
    const client = clientFor(prefs);
    try {
      rules.push(...(await readPreferenceDestinations(prefs, client, log)));
    } finally {
      client.destroy();
    }
  }
  return rules;
}
