/**
 * Transcripts in a local folder: a copy of a session-log bucket (`<prefix>/<sessionId>.log`, nested
 * prefixes too, optionally gzipped) and saved CloudWatch Logs output (`aws logs get-log-events` /
 * `filter-log-events` JSON, a JSON array of events, or NDJSON of the agent's event messages).
 * Transcript ids carry the content hash (`file://<relPath>#<sha256>`), so a changed file is a new
 * version that is kept next to the old one, and a re-import converges.
 */
import { BadInputError } from '../../../errors.ts';
import type { CwEventRow, QuarantineEntry, TranscriptRow } from '../../../store/index.ts';
import { parseCloudWatchExport, parseCloudWatchMessage } from '../../normalize/cloudwatch-events.ts';
import {
  buildTranscriptEvidence,
  type CloudWatchEventIn,
  cloudWatchEventRows,
  cloudWatchTranscript,
  isPlausibleSessionId,
  sessionIdFromKey,
} from '../../normalize/transcript-evidence.ts';
import type {
  FileHandler,
  HandlerOutput,
  StreamedLocalFile,
  StreamFileHandler,
  WholeFileHandler,
} from './handler.ts';

const SESSION_LOG_NAME = /\.log(\.gz)?$/i;
const JSON_NAME = /\.(json|ndjson|jsonl)(\.gz)?$/i;

/**
 * `<sessionId>.log` copied from a session-log bucket, streamed: the id is known from the hashing
 * pass, so chunks are spilled as they come and a log of any size costs bounded memory. A zero-byte
 * log is stored (format `empty`), as the S3 source stores it: logging ran and captured nothing.
 */
export const sessionLogFileHandler: StreamFileHandler = {
  name: 'session-log',
  acceptsPath: (relPath) => SESSION_LOG_NAME.test(relPath),
  async readStream(file: StreamedLocalFile, spill): Promise<HandlerOutput> {
    const { transcript, chunks } = await buildTranscriptEvidence(
      file.content(),
      {
        transcriptId: `file://${file.relPath}#${file.sha256}`,
        location: file.relPath,
        etag: null,
        versionId: null,
        // `aws s3 sync` sets a file's mtime to the object's LastModified: the upload time, an end-time hint.
        lastModified: Math.floor(file.mtimeMs),
        sessionIdFromName: sessionIdFromKey(file.relPath.replace(/\.gz$/i, '')),
        // Read twice from disk (hash, then store), the content is hashed again: a file rewritten in
        // between must not be stored under the old hash. Held in memory, it cannot change.
        sha256: file.held ? file.sha256 : undefined,
      },
      spill,
    );
    if (transcript.sha256 !== file.sha256)
      throw new BadInputError('changed_while_reading', `${file.relPath} changed while it was read`);
    return { evidence: { transcripts: [transcript], transcriptChunks: chunks }, records: 1 };
  },
};

/** Saved CloudWatch Logs events of one or more session streams. */
export const cloudWatchExportFileHandler: WholeFileHandler = {
  name: 'cloudwatch-export',
  accepts: (relPath, head) => JSON_NAME.test(relPath) && looksLikeCloudWatchExport(head),
  read(file): HandlerOutput {
    const events = parseCloudWatchExport(file.content.toString('utf8'));
    const byStream = new Map<string, CloudWatchEventIn[]>();
    const quarantine: QuarantineEntry[] = [];
    for (const [index, e] of events.entries()) {
      const sessionId = sessionOf(e, file.relPath);
      if (!sessionId) {
        quarantine.push({ itemKey: `${file.relPath}#event${index}`, reason: 'no_session_id', detail: null });
        continue;
      }
      const list = byStream.get(sessionId) ?? [];
      byStream.set(sessionId, list);
      list.push({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime ?? null });
    }
    const transcripts: TranscriptRow[] = [];
    const cwEvents: CwEventRow[] = [];
    const several = byStream.size > 1;
    for (const [sessionId, list] of byStream) {
      const suffix = several ? `@${sessionId}` : '';
      const transcriptId = `file://${file.relPath}#${file.version}${suffix}`;
      const location = `${file.relPath}${suffix}`;
      transcripts.push(cloudWatchTranscript(transcriptId, location, sessionId, list));
      const { rows, invalid } = cloudWatchEventRows(transcriptId, 0, list);
      cwEvents.push(...rows);
      for (const i of invalid)
        quarantine.push({ itemKey: `${location}#${i.seq}`, reason: i.reason, detail: null });
    }
    return { evidence: { transcripts, cwEvents, quarantine }, records: events.length };
  },
};

/** Register before the CloudTrail JSON handler: both take `.json`, these only CloudWatch shapes. */
export const TRANSCRIPT_FILE_HANDLERS: FileHandler[] = [sessionLogFileHandler, cloudWatchExportFileHandler];

/**
 * CloudWatch output has `"events": [...]` with `"message"`s, or is the agent's own event JSON
 * (`"target": {"id": ...}`, `sessionData`, `runAsUser`). CloudTrail records also start with
 * `eventVersion` but carry `eventSource`, and lookup-events output says `"Events"`.
 */
export function looksLikeCloudWatchExport(head: string): boolean {
  if (/"eventSource"\s*:/.test(head) || /"Records"\s*:/.test(head)) return false;
  if (/"events"\s*:\s*\[/.test(head)) return true;
  if (/^\s*\[\s*\{/.test(head) && /"message"\s*:/.test(head) && /"timestamp"\s*:/.test(head)) return true;
  return /"eventVersion"\s*:/.test(head) && /"sessionData"|"runAsUser"|"target"\s*:\s*\{\s*"id"/.test(head);
}

/** The stream name when the export has it, else the agent's own session id, else the file name. */
function sessionOf(e: { logStreamName?: string; message: string }, relPath: string): string | null {
  if (isPlausibleSessionId(e.logStreamName)) return e.logStreamName;
  const parsed = parseCloudWatchMessage(e.message);
  if (parsed.kind === 'stream' && isPlausibleSessionId(parsed.sessionId)) return parsed.sessionId;
  const base = relPath.slice(relPath.lastIndexOf('/') + 1).replace(JSON_NAME, '');
  return isPlausibleSessionId(base) ? base : null;
}
