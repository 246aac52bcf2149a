/**
 * Local-dir handler for CloudTrail evidence saved as JSON files: trail files, bare records, NDJSON,
 * saved lookup-events and describe-sessions output (every shape normalize/cloudtrail-document.ts reads).
 */
import { parseCloudTrailDocument } from '../../normalize/cloudtrail-document.ts';
import type { HandlerOutput, WholeFileHandler } from './handler.ts';

const JSON_NAME = /\.(json|ndjson|jsonl)(\.gz)?$/i;

/** Takes `.json`, `.ndjson` and `.jsonl` files (gzipped or not); the parser decides what they hold. */
export const cloudtrailJsonHandler: WholeFileHandler = {
  name: 'cloudtrail-json',
  accepts: (relPath) => JSON_NAME.test(relPath),
  read(file): HandlerOutput {
    const parsed = parseCloudTrailDocument(file.content.toString('utf8'), file.relPath, file.absPath);
    return {
      evidence: {
        ctEvents: parsed.ctEvents,
        describeSnapshots: parsed.describeSnapshots,
        quarantine: parsed.quarantine,
      },
      records: parsed.records,
    };
  },
};
