/**
 * Bedrock's quota accounting for one model, over a sliding 60-second window on the emulator's clock:
 * a request *reserves* input tokens + maxTokens when it starts and is *settled* to input + output
 * when it ends. Admission checks the sum of every entry that started in the last 60 s (reserved
 * amounts for requests still running, charged amounts for finished ones) plus the new reservation.
 *
 * Invariant the tests rely on: settling only ever lowers an entry, so the final charged tokens of
 * the requests started in any 60 s window never exceed tokensPerMinute.
 */
import type { ForeignTenant } from './foreignTenant';

export const WINDOW_MS = 60_000;

export interface QuotaEntry {
  at: number;
  tokens: number;
  settled: boolean;
}

export type Admission = { ok: true; entry: QuotaEntry } | { ok: false; reason: 'tokens' | 'requests' };

export class QuotaWindow {
  private entries: QuotaEntry[] = [];
  /** Someone else on the account spending from the same quota (foreignTenant.ts); none by default. */
  foreign: ForeignTenant | undefined;

  constructor(
    readonly tokensPerMinute: number,
    readonly requestsPerMinute?: number,
  ) {}

  /** Reserves `tokens` at time `now`, or refuses when the window has no room for them. */
  admit(now: number, tokens: number): Admission {
    this.prune(now);
    if (this.requestsPerMinute !== undefined && this.entries.length + 1 > this.requestsPerMinute) {
      return { ok: false, reason: 'requests' };
    }
    if (this.used() + (this.foreign?.tokensInWindow(now) ?? 0) + tokens > this.tokensPerMinute) return { ok: false, reason: 'tokens' };
    const entry: QuotaEntry = { at: now, tokens, settled: false };
    this.entries.push(entry);
    return { ok: true, entry };
  }

  /** Settles a reservation to what the request really used (never more than it reserved). */
  settle(entry: QuotaEntry, tokens: number): void {
    entry.tokens = Math.min(entry.tokens, Math.max(0, tokens));
    entry.settled = true;
  }

  /** Tokens reserved by running requests and charged by finished ones, within the window at `now`. */
  usage(now: number): { reserved: number; charged: number; requests: number } {
    this.prune(now);
    let reserved = 0;
    let charged = 0;
    for (const e of this.entries) {
      if (e.settled) charged += e.tokens;
      else reserved += e.tokens;
    }
    return { reserved, charged, requests: this.entries.length };
  }

  private used(): number {
    return this.entries.reduce((sum, e) => sum + e.tokens, 0);
  }

  /** Drops entries that started before the window (a request's tokens count where it started). */
  private prune(now: number): void {
    if (this.entries.length > 0 && this.entries[0]!.at <= now - WINDOW_MS) {
      this.entries = this.entries.filter((e) => e.at > now - WINDOW_MS);
    }
  }
}
