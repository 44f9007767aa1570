/**
 * The per-model limits Bedrock enforces besides tokens per minute, each answered as the service does:
 * - tokens per day ("Model invocation max tokens per day", input + output, by default the per-minute
 *   quota × 1,440): over a rolling 24 h window of emulated time, the same reserve-then-settle
 *   accounting as the minute window, refused with 429 ThrottlingException "Too many tokens per day,
 *   please wait before trying again.";
 * - concurrent calls: more in flight than `maxConcurrency` is refused with 503
 *   ServiceUnavailableException "Too many connections, please wait before trying again.".
 *
 * It tracks the minute window's own entries (quota.ts), which respond.ts settles when a call ends:
 * an entry counts as in flight until settled, and against the day with what it was settled to.
 */
import { ServiceError, TOO_MANY_CONNECTIONS_MESSAGE, TOO_MANY_TOKENS_PER_DAY_MESSAGE } from './errors';
import type { QuotaEntry } from './quota';

export const DAY_MS = 24 * 60 * 60_000;

export class ModelLimits {
  private day: QuotaEntry[] = [];
  private running: QuotaEntry[] = [];

  constructor(
    readonly tokensPerDay?: number,
    readonly maxConcurrency?: number,
  ) {}

  /** The error a new call of `tokens` (input + maxTokens) gets at `now`, or undefined when it may go on. */
  refusal(now: number, tokens: number): ServiceError | undefined {
    if (this.maxConcurrency !== undefined && this.inFlight() >= this.maxConcurrency) {
      return new ServiceError('ServiceUnavailableException', TOO_MANY_CONNECTIONS_MESSAGE);
    }
    if (this.tokensPerDay !== undefined && this.usedToday(now) + tokens > this.tokensPerDay) {
      return new ServiceError('ThrottlingException', TOO_MANY_TOKENS_PER_DAY_MESSAGE);
    }
    return undefined;
  }

  /** Counts an admitted call (its minute-window entry) until it is settled. */
  track(entry: QuotaEntry): void {
    if (this.tokensPerDay !== undefined) this.day.push(entry);
    if (this.maxConcurrency !== undefined) this.running.push(entry);
  }

  inFlight(): number {
    this.running = this.running.filter((e) => !e.settled);
    return this.running.length;
  }

  /** Tokens reserved or charged by calls that started in the last 24 h. */
  usedToday(now: number): number {
    if (this.day.length > 0 && this.day[0]!.at <= now - DAY_MS) this.day = this.day.filter((e) => e.at > now - DAY_MS);
    return this.day.reduce((sum, e) => sum + e.tokens, 0);
  }
}
