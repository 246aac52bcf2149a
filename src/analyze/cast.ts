/**
 * A stored session as an asciicast v3 recording (newline-delimited JSON) for asciinema-player:
 * a header, output events, and exactly one marker (`"m"`) per stored command, aborted and uncertain
 * ones included, in seq order, labelled with the command text, so the player's marker navigation
 * is the command list. Streamed: transcripts are read chunk by chunk and commands page by page, so
 * a 100 MB transcript replays in flat memory.
 *
 * Where timing comes from is stated in the header's `tags`:
 * - `timing:cloudwatch-1s`: CloudWatch event times (about one second), alone or as the times of the
 *   commands when the S3 object supplies the bytes;
 * - `timing:synthetic`: S3 objects record no time at all; typing and output are paced plausibly;
 * - `timing:exact`: a form with exact timing (none is stored today; the tag is reserved for it).
 */
import { StringDecoder } from 'node:string_decoder';
import {
  CLOUDWATCH_SPLIT_LINE_BYTES,
  parseCloudWatchMessage,
} from '../ingest/normalize/cloudwatch-events.ts';
import { scriptBody } from '../ingest/normalize/transcript.ts';
import type { Store, TranscriptRow } from '../store/index.ts';
import { CastWriter, type Clock } from './cast/cast-writer.ts';
import { CommandQueue } from './cast/command-queue.ts';
import { OutputFilter } from './cast/output-filter.ts';
import { chooseTranscripts } from './transcript-choice.ts';

export type CastTiming = 'timing:exact' | 'timing:cloudwatch-1s' | 'timing:synthetic';

/** What a cast needs from the store: read-only, so a role-scoped store fits. */
export interface CastSource {
  sessions: Pick<Store['sessions'], 'get'>;
  transcripts: Pick<Store['transcripts'], 'list' | 'readChunks' | 'readCwEvents'>;
  commands: Pick<Store['commands'], 'listForSession'>;
}

export interface CastOptions {
  /** Width when extraction recorded none. */
  defaultCols?: number;
  rows?: number;
}

const DEFAULT_ROWS = 24;
const DEFAULT_COLS = 80;

/** Which transcript a cast replays and what its timing is (the UI states it). */
export function castPlan(transcripts: readonly TranscriptRow[]): {
  transcript: TranscriptRow | null;
  timing: CastTiming;
} {
  const replay = chooseTranscripts(transcripts, 'replay');
  const shown = replay.s3 ?? replay.cloudwatch ?? chooseTranscripts(transcripts, 'display').s3 ?? null;
  return {
    transcript: shown,
    timing: replay.cloudwatch ? 'timing:cloudwatch-1s' : 'timing:synthetic',
  };
}

/**
 * The session's cast, one JSON line per string; throws nothing for a session without transcript
 * (header and markers only) but yields nothing at all for an unknown session id.
 *
 * @example for await (const line of sessionCast(store, id)) res.write(line);
 */
export async function* sessionCast(
  store: CastSource,
  sessionId: string,
  options: CastOptions = {},
): AsyncGenerator<string> {
  const session = await store.sessions.get(sessionId);
  if (!session) return;
  const { transcript, timing } = castPlan(await store.transcripts.list(sessionId));
  const header = {
    version: 3,
    term: {
      cols: session.termCols ?? options.defaultCols ?? DEFAULT_COLS,
      rows: options.rows ?? DEFAULT_ROWS,
    },
    ...(session.startedAt != null ? { timestamp: Math.floor(session.startedAt / 1000) } : {}),
    idle_time_limit: timing === 'timing:synthetic' ? 1.5 : 2,
    tags: [timing],
  };
  yield `${JSON.stringify(header)}\n`;
  const queue = new CommandQueue((page) => store.commands.listForSession(sessionId, page));
  const clock: Clock = transcript?.source === 'cloudwatch' ? 'timed' : 'synthetic';
  const writer = new CastWriter(queue, clock, session.startedAt);
  const filter = new OutputFilter();
  if (transcript?.source === 'cloudwatch') {
    for await (const event of store.transcripts.readCwEvents(transcript.transcriptId)) {
      const text = cloudWatchText(event.message);
      if (text !== '') yield* await writer.write(filter.write(text), event.timestamp);
    }
  } else if (transcript) {
    const decoder = new StringDecoder('utf8');
    for await (const chunk of scriptBody(store.transcripts.readChunks(transcript.transcriptId)))
      yield* await writer.write(filter.write(decoder.write(chunk)));
    yield* await writer.write(filter.write(decoder.end()));
  }
  yield* await writer.finish();
}

/**
 * A CloudWatch event's lines as terminal text. The agent removed `\r` and split on `\n`; a line it
 * cut past 200,000 bytes continues in the next event, so the last element of such an event gets no
 * line break.
 */
function cloudWatchText(message: string): string {
  const parsed = parseCloudWatchMessage(message);
  if (parsed.kind === 'invalid') return '';
  const lines = parsed.kind === 'stream' ? parsed.lines : parsed.text.replace(/\r/g, '').split('\n');
  if (lines.length === 0) return '';
  const last = lines.at(-1)!;
  const cut = parsed.kind === 'stream' && Buffer.byteLength(last, 'utf8') >= CLOUDWATCH_SPLIT_LINE_BYTES;
  return lines.map((line, i) => (cut && i === lines.length - 1 ? line : `${line}\r\n`)).join('');
}
