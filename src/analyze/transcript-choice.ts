/**
 * Which stored transcript of a session to read: the one rule shared by command extraction and the
 * `transcript` command, so what an operator reads is what the commands were extracted from.
 */
import type { TranscriptRow } from '../store/index.ts';

/** S3-form transcripts the terminal emulator can replay: `script` typescripts and raw terminal bytes. */
const REPLAYABLE_FORMATS = new Set(['script', 'raw']);

export interface TranscriptChoice {
  /** The S3 (or file) form: byte-exact, no timing. */
  s3?: TranscriptRow;
  /** The CloudWatch form: stripped lines with about one-second timing. */
  cloudwatch?: TranscriptRow;
}

/**
 * Picks one transcript per form. For `replay` (extraction) only non-empty transcripts the emulator
 * can read count; for `display` every stored one does. Among several versions of one S3 object (an
 * integrity finding already) the earliest upload wins: it is the agent's own, later ones are what
 * someone rewrote. The CloudWatch stream is the first in the store's order.
 *
 * @example const { s3, cloudwatch } = chooseTranscripts(await store.transcripts.list(id), 'replay');
 */
export function chooseTranscripts(
  transcripts: readonly TranscriptRow[],
  purpose: 'replay' | 'display',
): TranscriptChoice {
  const usable = (t: TranscriptRow) => purpose === 'display' || t.byteSize > 0;
  const s3 = transcripts
    .filter(
      (t) => t.source === 's3' && usable(t) && (purpose === 'display' || REPLAYABLE_FORMATS.has(t.format)),
    )
    .sort(
      (a, b) =>
        (a.lastModified ?? Number.MAX_SAFE_INTEGER) - (b.lastModified ?? Number.MAX_SAFE_INTEGER) ||
        a.transcriptId.localeCompare(b.transcriptId),
    )[0];
  const cloudwatch = transcripts.find((t) => t.source === 'cloudwatch' && usable(t));
  return { s3, cloudwatch };
}

/** Whether the emulator can replay this S3-form transcript (else it is shown as stored). */
export function isReplayable(transcript: TranscriptRow): boolean {
  return REPLAYABLE_FORMATS.has(transcript.format);
}
