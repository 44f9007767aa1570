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

/**
 * Two engines of one VS Code window (two folders) on the same account quota: this window's share is
 * both of theirs; the account's is what the fuller reading saw (each reads the same ledger).
 */
export function mergeSharedUsage(a: SharedQuotaUsage | undefined, b: SharedQuotaUsage | undefined): SharedQuotaUsage | undefined {
  if (!a || !b) return a ?? b;
  const own = a.ownTpm + b.ownTpm;
  return { accountTpm: Math.max(a.accountTpm, b.accountTpm, own), ownTpm: own };
}
