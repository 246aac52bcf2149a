/**
 * One zod schema for the config file plus environment overrides. Everything else in shelltrail
 * receives plain values from here and never reads process.env itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { z } from 'zod';
import { alertsConfig, detectionConfig } from './config-detection.ts';
import { ConfigError } from './errors.ts';

/** How to reach one AWS API: region, optional named profile, optional endpoint (S3-compatible stores, tests). */
const awsAccess = {
  region: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  endpoint: z.url().optional(),
};

const cloudtrailS3 = z.strictObject({
  ...awsAccess,
  bucket: z.string().min(3),
  /** Prefix before `AWSLogs/`, if the trail writes under one. */
  prefix: z.string().default(''),
  forcePathStyle: z.boolean().default(false),
  /** Limit listing to these accounts / regions (default: discover them under AWSLogs/). */
  accounts: z.array(z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits')).optional(),
  regions: z.array(z.string()).optional(),
  /** Date prefixes relisted on every poll so late files are not missed. */
  lookbackDays: z.number().int().min(0).max(90).default(2),
  /** First day to read on the very first poll (YYYY-MM-DD); default: 90 days ago. */
  startDate: z.iso.date().optional(),
});

const cloudtrailLookup = z.strictObject({
  ...awsAccess,
  region: z.string().min(1),
  /** How far back the first poll reaches (LookupEvents keeps 90 days). */
  initialLookbackHours: z
    .number()
    .positive()
    .max(90 * 24)
    .default(24 * 7),
  /** Each poll re-reads this much before the last high-water mark: CloudTrail delivers late. */
  overlapMinutes: z.number().int().min(0).default(30),
  /** Requests per second; LookupEvents allows 2 per account and region. */
  requestsPerSecond: z.number().positive().max(2).default(2),
});

const describeSessions = z.strictObject({ ...awsAccess, region: z.string().min(1) });

const transcriptsS3 = z.strictObject({
  ...awsAccess,
  bucket: z.string().min(3),
  prefix: z.string().default(''),
  forcePathStyle: z.boolean().default(false),
  /**
   * The bucket keeps versions: list them all (ListObjectVersions) so an object overwritten between
   * two polls is still stored and flagged. Needs s3:ListBucketVersions and s3:GetObjectVersion.
   */
  versioned: z.boolean().default(false),
});

const cloudwatchLogs = z.strictObject({ ...awsAccess, logGroupName: z.string().min(1) });

const sessionPreferences = z.strictObject({
  ...awsAccess,
  region: z.string().min(1),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
    .optional(),
  /** Custom session documents whose own logging settings apply to sessions started with them. */
  customDocuments: z.array(z.string().min(1)).default([]),
});

const destinations = z.strictObject({
  accountId: z.string().optional(),
  region: z.string().optional(),
  documentName: z.string().optional(),
  s3: z.boolean(),
  cloudwatch: z.boolean(),
});

const role = z.enum(['viewer', 'auditor', 'admin']);

/** AWS ALB OIDC authentication: the `x-amzn-oidc-data` header, trusted only when this is enabled. */
const oidc = z.strictObject({
  enabled: z.boolean().default(false),
  /** The ALB's region: its public keys live at public-keys.auth.elb.<region>.amazonaws.com/<kid>. */
  region: z.string().min(1).optional(),
  /** Where to fetch a key by id (`{region}` and `{kid}` are replaced); for tests and private endpoints. */
  keyUrl: z.string().min(1).optional(),
  /** A PEM public key file used instead of fetching (any kid). */
  keyFile: z.string().min(1).optional(),
  /** Only tokens signed for this ALB (the `signer` header field, an ARN) are accepted, when set. */
  signer: z.string().min(1).optional(),
  /** Role per email (case-insensitive) and per group; the highest role that matches wins. */
  emailRoles: z.record(z.string(), role).default({}),
  groupRoles: z.record(z.string(), role).default({}),
  /** The claim that lists a user's groups. */
  groupsClaim: z.string().min(1).default('groups'),
});

export const configSchema = z.strictObject({
  db: z.string().min(1).default('./data/shelltrail.db'),
  pollIntervalSeconds: z.number().int().positive().default(300),
  sources: z
    .strictObject({
      cloudtrailS3: z.array(cloudtrailS3).default([]),
      cloudtrailLookup: z.array(cloudtrailLookup).default([]),
      describeSessions: z.array(describeSessions).default([]),
      transcriptsS3: z.array(transcriptsS3).default([]),
      cloudwatchLogs: z.array(cloudwatchLogs).default([]),
      localDirs: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  sessions: z
    .strictObject({
      /** Upper bound on a session's length when nothing else says when it ended. */
      maxDurationHours: z.number().positive().default(24),
      /** A recordable session that ended longer ago than this with no transcript is `missing`. */
      missingGraceMinutes: z.number().int().min(0).default(60),
      /** Where transcripts are expected, most specific match wins; none listed means S3 + CloudWatch unknown. */
      expectedDestinations: z.array(destinations).default([]),
      /**
       * Also read expected destinations from Session Manager preferences (SSM GetDocument of
       * `SSM-SessionManagerRunShell`, plus any custom session documents listed) per account/region.
       * At equal specificity, rules in expectedDestinations win over what the documents say.
       */
      preferences: z.array(sessionPreferences).default([]),
    })
    .prefault({}),
  terminal: z
    .strictObject({
      defaultCols: z.number().int().min(20).max(1000).default(80),
      defaultUser: z.string().default('ssm-user'),
    })
    .prefault({}),
  /** `shelltrail serve`: the API and web UI. */
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      /** Serve /metrics without a token (a reverse proxy on the same host makes every client loopback). */
      publicMetrics: z.boolean().default(false),
      /** Let requests from loopback in without a token, with `anonymousRole` (demo on one machine). */
      allowAnonymousLoopback: z.boolean().default(false),
      anonymousRole: role.default('viewer'),
      /** How long a browser sign-in lasts. */
      signInHours: z
        .number()
        .positive()
        .max(24 * 30)
        .default(12),
      /**
       * Proxies (addresses or CIDR ranges) whose `X-Forwarded-For` says who the client was: an ALB's
       * subnets, or 127.0.0.1 for a reverse proxy on the same host. Default none: the socket peer.
       */
      trustedProxies: z
        .array(
          z
            .string()
            .refine(isProxyEntry, { message: 'expected an IP address or CIDR range, e.g. 10.0.0.0/16' }),
        )
        .max(256)
        .default([]),
      oidc: oidc.prefault({}),
    })
    .prefault({}),
  /** Rules and alerts (src/config-detection.ts). */
  detection: detectionConfig.prefault({}),
  alerts: alertsConfig.prefault({}),
});

/** Whether `entry` is an IP address or CIDR range (`server.trustedProxies`). */
function isProxyEntry(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

export type Config = z.infer<typeof configSchema>;
export type CloudtrailS3Config = z.infer<typeof cloudtrailS3>;
export type CloudtrailLookupConfig = z.infer<typeof cloudtrailLookup>;
export type DescribeSessionsConfig = z.infer<typeof describeSessions>;
export type TranscriptsS3Config = z.infer<typeof transcriptsS3>;
export type CloudwatchLogsConfig = z.infer<typeof cloudwatchLogs>;
export type SessionPreferencesConfig = z.infer<typeof sessionPreferences>;
export type ServerConfig = z.infer<typeof configSchema>['server'];
export type AwsAccess = { region?: string; profile?: string; endpoint?: string };

/** Environment variables that override the file: the config path each sets, and its type. */
const ENV_OVERRIDES: Array<{ name: string; path: [string] | [string, string]; numeric: boolean }> = [
  { name: 'SHELLTRAIL_DB', path: ['db'], numeric: false },
  { name: 'SHELLTRAIL_POLL_INTERVAL_SECONDS', path: ['pollIntervalSeconds'], numeric: true },
  { name: 'SHELLTRAIL_MAX_SESSION_HOURS', path: ['sessions', 'maxDurationHours'], numeric: true },
  { name: 'SHELLTRAIL_DEFAULT_COLS', path: ['terminal', 'defaultCols'], numeric: true },
  { name: 'SHELLTRAIL_HOST', path: ['server', 'host'], numeric: false },
  { name: 'SHELLTRAIL_PORT', path: ['server', 'port'], numeric: true },
];

function applyEnvOverrides(
  raw: Record<string, unknown>,
  env: Record<string, string | undefined>,
): Map<string, string> {
  const applied = new Map<string, string>();
  for (const { name, path, numeric } of ENV_OVERRIDES) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = numeric ? Number(text) : text;
    if (path.length === 1) raw[path[0]] = value;
    else raw[path[0]] = { ...(raw[path[0]] as object), [path[1]]: value };
    applied.set(path.join('.'), name);
  }
  return applied;
}

export const DEFAULT_CONFIG_FILE = 'shelltrail.yaml';

/**
 * The YAML parser, loaded only when there is a file to parse: most runs have none and it costs
 * start-up time (loadConfig is synchronous, and yaml is CommonJS, so require loads the same module
 * an import would).
 */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.parse(text);
}

/** Every default, as an empty config file would give. */
export const DEFAULT_CONFIG: Config = configSchema.parse({});

/**
 * Loads the config file (if any), applies environment overrides and validates the result.
 * Throws ConfigError listing every wrong field, so one run shows the user all their mistakes.
 */
export function loadConfig(options: {
  file?: string;
  env?: Record<string, string | undefined>;
  overrides?: Partial<Pick<Config, 'db'>>;
}): Config {
  const env = options.env ?? {};
  const file = options.file ?? env.SHELLTRAIL_CONFIG ?? DEFAULT_CONFIG_FILE;
  let raw: Record<string, unknown> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${file}: not valid YAML: ${(err as Error).message}`);
    }
    if (parsed != null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ConfigError(`${file}: the top level must be a mapping`);
    }
    raw = (parsed as Record<string, unknown>) ?? {};
  } else if (options.file ?? env.SHELLTRAIL_CONFIG) {
    throw new ConfigError(`${file}: config file not found`);
  }
  const fromEnv = applyEnvOverrides(raw, env);
  if (options.overrides?.db) raw.db = options.overrides.db;
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => {
      const path = i.path.join('.');
      const variable = fromEnv.get(path);
      return `${path || '(top level)'}${variable ? ` (from ${variable})` : ''}: ${i.message}`;
    });
    const where = existsSync(file) ? `${file}: ` : '';
    throw new ConfigError(`${where}invalid configuration`, issues);
  }
  return result.data;
}
