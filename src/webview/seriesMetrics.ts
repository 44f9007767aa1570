/** What the page keeps a time series of: per model, and for the run as a whole. */
export const MODEL_METRICS = [
  'tokensPerMinute', 'quotaTpm',
  /** The learned quota, only where it differs from the configured one (a gap elsewhere). */
  'effectiveTpm',
  'requestsPerMinute', 'inFlight', 'queuedInteractive', 'queuedBackground',
  /** The tokens/min value at the samples where the throttle count went up (drawn as points). */
  'throttleMarks',
] as const;
export type ModelMetric = (typeof MODEL_METRICS)[number];

export const TOTAL_METRICS = ['tokensPerMinute', 'quotaSum', 'utilization'] as const;
export type TotalMetric = (typeof TOTAL_METRICS)[number];
