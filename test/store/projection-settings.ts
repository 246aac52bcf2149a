/**
 * The projection settings the store tests write evidence with: the same values as the ingest
 * harness (test/ingest/harness.ts), kept here so the store tests do not depend on ingest test
 * support. The clock is fixed, so "missing after the grace period" does not depend on today.
 */
import { type ProjectionSettings, projectionSettings } from '../../src/store/projection.ts';

export const settings: ProjectionSettings = projectionSettings(
  { maxDurationHours: 24, missingGraceMinutes: 60, expectedDestinations: [] },
  () => Date.parse('2026-12-01T00:00:00Z'),
);
