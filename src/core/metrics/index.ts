export * from './types';
export { ModelMetrics, BatchLog, percentile } from './collector';
export { sharedQuotaUsage, type UsageReader } from './shared';
