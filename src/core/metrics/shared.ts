/**
 * A shared quota's two readings for the dashboard and the status bar: what the whole account holds in
 * the window (every process, window and machine on the ledger) beside what this instance holds.
 */
import type { SharedQuotaUsage } from './types';

/** The part of QuotaWindow read here (src/core/schedule/quotaWindow.ts). */
export interface UsageReader {
  usage(): { tokens: number };
  ownUsage(): { tokens: number };
}

export function sharedQuotaUsage(window: UsageReader): SharedQuotaUsage {
  const own = Math.max(0, Math.round(window.ownUsage().tokens));
  // The account's count includes ours; a ledger read that lags our last publish must not show less.
  const account = Math.max(own, Math.round(window.usage().tokens));
  return { accountTpm: account, ownTpm: own };
}
