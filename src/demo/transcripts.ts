/**
 * Demo transcripts: for each demo session, the S3 session log and/or the CloudWatch export the SSM
 * agent would have produced, derived from real-shell recordings with the demo's session id, target,
 * user and times substituted. The terminal bytes stay exactly as recorded, so extraction, replay
 * and search show real shells.
 *
 * The recordings ship with the package in `demo-data/transcripts/` (copies of a few of
 * test/fixtures/sessions/, which a packed install does not have): `<name>.log` is the S3 form,
 * `<name>.cloudwatch.json` the CloudWatch events the agent streamed for the same session.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScriptHeader } from '../ingest/normalize/transcript.ts';

/**
 * The package root's `demo-data/transcripts/`. This module sits two levels below the root both as
 * source (`src/demo/`) and as compiled JS (`dist/demo/`), so the same relative path serves both.
 */
export const DEMO_TRANSCRIPTS_DIR = fileURLToPath(new URL('../../demo-data/transcripts/', import.meta.url));
const LOG_SUFFIX = '.log';
const CLOUDWATCH_SUFFIX = '.cloudwatch.json';

export interface DemoTranscriptSpec {
  sessionId: string;
  target: string;
  userArn: string;
  runAsUser?: string;
  region?: string;
  startedAt: number;
  endedAt: number;
  /** Fixture folder name (e.g. `sudo-su-root`); default: picked from the session id. */
  fixture?: string;
  /** Which destinations received a transcript (default both). */
  forms?: Array<'s3' | 'cloudwatch'>;
  /** What the transcript claims as its target, when it should disagree with CloudTrail (forgery demo). */
  claimedTarget?: string;
}

export interface DemoTranscriptsWritten {
  s3Logs: number;
  cloudwatchExports: number;
}

/** The recordings available to the demo (each has both forms), sorted by name. */
export function demoFixtureNames(): string[] {
  if (!existsSync(DEMO_TRANSCRIPTS_DIR)) return [];
  return readdirSync(DEMO_TRANSCRIPTS_DIR)
    .filter((f) => f.endsWith(LOG_SUFFIX))
    .map((f) => f.slice(0, -LOG_SUFFIX.length))
    .filter((n) => existsSync(join(DEMO_TRANSCRIPTS_DIR, n + CLOUDWATCH_SUFFIX)))
    .sort();
}

/**
 * Writes `<dir>/session-logs/ssm/<sessionId>.log` (mtime = upload time = session end, as
 * `aws s3 sync` leaves it) and `<dir>/cloudwatch/<sessionId>.json` (`aws logs get-log-events` output).
 *
 * @example writeDemoTranscripts(join(demoDir, 'transcripts'), sessions.map(toTranscriptSpec))
 */
export function writeDemoTranscripts(dir: string, specs: DemoTranscriptSpec[]): DemoTranscriptsWritten {
  const names = demoFixtureNames();
  if (names.length === 0) return { s3Logs: 0, cloudwatchExports: 0 };
  const written: DemoTranscriptsWritten = { s3Logs: 0, cloudwatchExports: 0 };
  for (const spec of specs) {
    const name =
      spec.fixture && names.includes(spec.fixture)
        ? spec.fixture
        : names[hash(spec.sessionId) % names.length]!;
    const fixture = loadFixture(name);
    const forms = spec.forms ?? ['s3', 'cloudwatch'];
    if (forms.includes('s3')) {
      const path = join(dir, 'session-logs', 'ssm', `${spec.sessionId}.log`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, rehead(fixture.s3, spec));
      const uploaded = new Date(spec.endedAt);
      utimesSync(path, uploaded, uploaded);
      written.s3Logs++;
    }
    if (forms.includes('cloudwatch')) {
      const path = join(dir, 'cloudwatch', `${spec.sessionId}.json`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify({ events: retime(fixture.cloudwatch, spec) }, null, 2));
      written.cloudwatchExports++;
    }
  }
  return written;
}

interface Fixture {
  s3: Buffer;
  cloudwatch: Array<{ timestamp: number; message: string }>;
}

function loadFixture(name: string): Fixture {
  return {
    s3: readFileSync(join(DEMO_TRANSCRIPTS_DIR, name + LOG_SUFFIX)),
    cloudwatch: JSON.parse(readFileSync(join(DEMO_TRANSCRIPTS_DIR, name + CLOUDWATCH_SUFFIX), 'utf8')),
  };
}

/** The recorded body under a header and footer naming the demo session, written at its end. */
function rehead(s3: Buffer, spec: DemoTranscriptSpec): Buffer {
  const parsed = parseScriptHeader(s3);
  let body = parsed ? s3.subarray(parsed.headerLength) : s3;
  const footerAt = body.lastIndexOf('\nScript done on ');
  if (footerAt >= 0) body = body.subarray(0, footerAt);
  const when = new Date(spec.endedAt).toISOString().slice(0, 19).replace('T', ' ');
  const target = spec.claimedTarget ?? spec.target;
  const header = `Script started on ${when}+00:00 [COMMAND="cat /var/lib/amazon/ssm/${target}/session/orchestration/${spec.sessionId}/Standard_Stream/ipcTempFile.log" <not executed on terminal>]\n`;
  const footer = `\nScript done on ${when}+00:00 [COMMAND_EXIT_CODE="0"]\n`;
  return Buffer.concat([Buffer.from(header), body, Buffer.from(footer)]);
}

/**
 * The recorded events spread over the demo session (a recording lasts seconds, a demo session an
 * hour: people pause between commands), with the demo session's identity in every event.
 */
function retime(events: Fixture['cloudwatch'], spec: DemoTranscriptSpec) {
  const first = events[0]?.timestamp ?? 0;
  const recorded = Math.max(1, (events.at(-1)?.timestamp ?? first) - first);
  const available = Math.max(recorded, spec.endedAt - spec.startedAt - 31_000);
  const scale = available / recorded;
  return events.map((e, i) => {
    const timestamp = spec.startedAt + 1000 + Math.round((e.timestamp - first) * scale);
    let message = e.message;
    try {
      const event = JSON.parse(e.message) as Record<string, unknown>;
      if (event && typeof event === 'object' && 'sessionData' in event) {
        message = JSON.stringify({
          ...event,
          eventTime: new Date(timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          ...(spec.region ? { awsRegion: spec.region } : {}),
          target: { id: spec.claimedTarget ?? spec.target },
          userIdentity: { arn: spec.userArn },
          runAsUser: spec.runAsUser ?? 'ssm-user',
          sessionId: spec.sessionId,
        });
      }
    } catch {
      // A plain-text upload: kept as recorded.
    }
    return { timestamp, message, ingestionTime: timestamp + 400 + (i % 7) * 30 };
  });
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
