/** From a draft to the public command shape, shared by both transcript forms. */
import type { Draft } from '../extractor/draft.ts';
import type { ExtractedCommand } from '../types.ts';

/** `lossyForm`: only the CloudWatch form can have destroyed an edit; raw bytes are complete. */
export function toCommand(
  d: Draft,
  seq: number,
  at: number | null,
  atPrecision: ExtractedCommand['atPrecision'],
  lossyForm: boolean,
): ExtractedCommand {
  return {
    seq,
    text: d.text,
    user: d.user,
    executed: d.executed,
    at,
    atPrecision: at === null ? null : atPrecision,
    cwd: d.cwd,
    exitCode: d.exitCode,
    fidelity: d.uncertain ? 'uncertain' : lossyForm && d.lossy ? 'lossy' : 'exact',
    output: d.output.length > 0 ? d.output.join('\n') : null,
  };
}
