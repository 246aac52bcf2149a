/**
 * The `detection` and `alerts` sections of the config (src/config.ts mounts them): which rules run,
 * what is suppressed, and where alerts are delivered.
 */
import { z } from 'zod';

const level = z.enum(['informational', 'low', 'medium', 'high', 'critical']);

/** A suppression in the config file: like one made in the UI, kept under version control. */
const suppression = z.strictObject({
  /** A rule id; omitted: every rule. */
  rule: z.string().min(1).optional(),
  /** Patterns with `*` wildcards, case-insensitive; an omitted one matches anything. */
  actor: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
  command: z.string().min(1).optional(),
  reason: z.string().min(1),
  /** ISO date or date-time; the suppression stops applying then. */
  expires: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

export const detectionConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Load the built-in rule pack (src/detect/rules/). */
  builtin: z.boolean().default(true),
  /** Directories (or files) of Sigma rules, e.g. a SigmaHQ checkout's rules/linux. */
  ruleDirs: z.array(z.string().min(1)).default([]),
  /** Rule ids that never raise alerts here (the UI can turn others off too). */
  disabledRules: z.array(z.string().min(1)).default([]),
  /** Matches below this level are not recorded as alerts (informational rules are context). */
  minLevel: level.default('low'),
  /**
   * Alerts on commands older than this are recorded but not notified: a first import of history or
   * a re-extraction must not page anyone about last year.
   */
  notifyMaxAgeMinutes: z
    .number()
    .int()
    .min(0)
    .default(24 * 60),
  suppressions: z.array(suppression).default([]),
  /**
   * Targets that count as production for scheduled rules: target (instance id) patterns with `*`
   * wildcards, case-insensitive, e.g. `i-0prod*`. (Target tags are not in the store, so there is no
   * tag form.)
   */
  productionTargets: z.array(z.string().min(1)).default([]),
  /** Extra secret patterns (regular expressions, RE2 syntax) redacted from notifications. */
  redactPatterns: z.array(z.string().min(1)).default([]),
});

const channelBase = {
  /** Stable name: outbox rows refer to it. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, - and _'),
  url: z.url(),
  /** Only alerts of this level and above go to this channel. */
  minLevel: level.default('medium'),
  /** Send the rule, who, where and the link, never the command text. */
  linkOnly: z.boolean().default(false),
  timeoutSeconds: z.number().positive().max(120).default(10),
};

const webhook = z.strictObject({
  ...channelBase,
  type: z.literal('webhook'),
  /**
   * HMAC-SHA256 key for the `X-Shelltrail-Signature` header; required (checked over the channel
   * list, so the error names the channel): an unsigned body lets anyone who finds the receiver's
   * URL forge alerts. Write-only: never shown or logged.
   */
  secret: z.string().min(16).optional(),
});

const slack = z.strictObject({ ...channelBase, type: z.literal('slack') });

export const alertsConfig = z.strictObject({
  /** Where people open the UI; links in notifications start with it. */
  baseUrl: z.url().default('http://127.0.0.1:8080'),
  channels: z
    .array(z.discriminatedUnion('type', [webhook, slack]))
    .superRefine((channels, ctx) => {
      channels.forEach((c, i) => {
        if (c.type === 'webhook' && c.secret === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'secret'],
            message: `webhook channel "${c.name}" needs a secret (at least 16 characters): receivers verify X-Shelltrail-Signature with it`,
          });
      });
    })
    .default([]),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(50).default(10),
      /** First retry after this; doubled per attempt (with jitter) up to maxSeconds. */
      baseSeconds: z.number().positive().default(30),
      maxSeconds: z.number().positive().default(3600),
    })
    .prefault({}),
  /** Scheduled (correlation) rules: extra directories beside the built-in ones. */
  scheduledRuleDirs: z.array(z.string().min(1)).default([]),
  scheduledBuiltin: z.boolean().default(true),
});

export type DetectionConfig = z.infer<typeof detectionConfig>;
export type AlertsConfig = z.infer<typeof alertsConfig>;
export type ChannelConfig = AlertsConfig['channels'][number];
export type SuppressionConfig = DetectionConfig['suppressions'][number];
