/**
 * The passes detection adds to the worker, after extraction: detect (alerts from new commands),
 * scheduled rules, then delivery (so an alert raised in this poll is sent in this poll).
 */
import type { Pass } from '../analyze/pass.ts';
import type { Config } from '../config.ts';
import { createDetectPass } from '../detect/detect-pass.ts';
import { createDeliverPass } from './deliver-pass.ts';
import { createScheduledRulesPass } from './scheduled-pass.ts';

/** None when `detection.enabled` is false. */
export function detectionPasses(config: Pick<Config, 'detection' | 'alerts'>): Pass[] {
  if (!config.detection.enabled) return [];
  return [
    createDetectPass({ detection: config.detection, alerts: config.alerts }),
    createScheduledRulesPass({ detection: config.detection, alerts: config.alerts }),
    createDeliverPass({ alerts: config.alerts, redactPatterns: config.detection.redactPatterns }),
  ];
}
