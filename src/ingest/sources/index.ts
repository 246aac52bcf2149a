/**
 * Every configured source, in a fixed order: CloudTrail first (sessions are born there), then
 * DescribeSessions (end times), then local folders. Transcript sources join this list.
 */
import type { Config } from '../../config.ts';
import type { Source } from '../source.ts';
import { createCloudtrailLookupSource } from './cloudtrail-lookup.ts';
import { createCloudtrailS3Source } from './cloudtrail-s3.ts';
import { createDescribeSessionsSource } from './describe-sessions.ts';
import { createLocalDirSource, type LocalDirOptions } from './local-dir.ts';
import { createTranscriptsCloudWatchSource } from './transcripts-cloudwatch.ts';
import { createTranscriptsS3Source } from './transcripts-s3.ts';

/**
 * `localDirs` takes the local-folder source's options (tests slow it down to stop a daemon
 * mid-import, as `import` does with SHELLTRAIL_TEST_SLOW_MS).
 *
 * @example const sources = buildSources(loadConfig({ env: process.env }));
 */
export function buildSources(config: Config, options: { localDirs?: LocalDirOptions } = {}): Source[] {
  return [
    ...config.sources.cloudtrailS3.map((c) => createCloudtrailS3Source(c)),
    ...config.sources.cloudtrailLookup.map((c) => createCloudtrailLookupSource(c)),
    ...config.sources.describeSessions.map((c) => createDescribeSessionsSource(c)),
    ...config.sources.transcriptsS3.map((c) => createTranscriptsS3Source(c)),
    ...config.sources.cloudwatchLogs.map((c) => createTranscriptsCloudWatchSource(c)),
    ...config.sources.localDirs.map((dir) => createLocalDirSource(dir, options.localDirs)),
  ];
}
