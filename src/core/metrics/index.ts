export * from './types';
export { ModelMetrics, BatchLog, percentile } from './collector';
