import { describe, expect, it } from 'vitest';
import { chooseTranscripts } from '../../src/analyze/transcript-choice.ts';
import type { TranscriptRow } from '../../src/store/index.ts';

function transcript(id: string, fields: Partial<TranscriptRow>): TranscriptRow {
  return {
    transcriptId: id,
    sessionId: 's-1',
    source: 's3',
    location: id,
    etag: null,
    versionId: null,
    sha256: null,
    byteSize: 100,
    format: 'script',
    headerTime: null,
    lastModified: null,
    firstEventAt: null,
    lastEventAt: null,
    claimedTarget: null,
    claimedPrincipalArn: null,
    claimedRunAsUser: null,
    claimedSessionId: null,
    ...fields,
  };
}

describe('chooseTranscripts', () => {
  it('takes the earliest upload among S3 versions (the agent wrote it; later ones were rewritten)', () => {
    const late = transcript('s3://b/k#v2', { lastModified: 2000 });
    const early = transcript('s3://b/k#v1', { lastModified: 1000 });
    const unknown = transcript('s3://b/k#v0', { lastModified: null });
    const cw = transcript('cw://g/s', { source: 'cloudwatch', format: 'cloudwatch' });
    for (const purpose of ['replay', 'display'] as const) {
      expect(chooseTranscripts([unknown, late, cw, early], purpose)).toEqual({ s3: early, cloudwatch: cw });
    }
  });

  it('replays only non-empty forms the emulator reads; shows whatever is stored', () => {
    const powershell = transcript('s3://b/ps#1', { format: 'powershell', lastModified: 1 });
    const empty = transcript('s3://b/e#1', { byteSize: 0, lastModified: 2 });
    const raw = transcript('s3://b/r#1', { format: 'raw', lastModified: 3 });
    const emptyCw = transcript('cw://g/s', { source: 'cloudwatch', format: 'cloudwatch', byteSize: 0 });
    expect(chooseTranscripts([powershell, empty, raw, emptyCw], 'replay')).toEqual({
      s3: raw,
      cloudwatch: undefined,
    });
    expect(chooseTranscripts([powershell, empty, raw, emptyCw], 'display')).toEqual({
      s3: powershell,
      cloudwatch: emptyCw,
    });
    expect(chooseTranscripts([], 'display')).toEqual({ s3: undefined, cloudwatch: undefined });
  });
});
