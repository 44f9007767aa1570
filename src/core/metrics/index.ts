export * from './types';
export { ModelMetrics, BatchLog, percentile } from './collector';
export { mergeSharedUsage, sharedQuotaUsage, type UsageReader } from './shared';
