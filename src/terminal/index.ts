/** The terminal module's public surface: command extraction, form merging, readable text. */
export { extractFromBytes } from './forms/bytes.ts';
export { extractFromCloudWatch } from './forms/cloudwatch.ts';
export { compareForms, type FormsComparison, mergeForms } from './merge.ts';
export { renderText } from './render.ts';
export type {
  ColsSource,
  ExtractedCommand,
  ExtractionResult,
  ExtractOptions,
  TimePrecision,
} from './types.ts';
