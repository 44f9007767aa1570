/**
 * The account's quota ledger shared through Redis: every Chorus instance on every machine (teammates,
 * CI runners) that sends to one destination and model holds its reservations in one window there, so
 * together they stay under the account's quota instead of each believing it owns all of it.
 *
 * What it guarantees: an admission is atomic across all instances. The scheduler decides
 * synchronously, Redis answers asynchronously, so the two are split (QuotaWindow's WindowPeers):
 * - `others` is a mirror of the others' reservations, refreshed every `refreshMs` (real) and by every
 *   script reply: good for estimates and for the local decision;
 * - an admission reserved locally is then confirmed by one Lua script (redisScripts.ts ADMIT) that
 *   prunes the window, sums it and adds ours only if it fits under the limit the queue passes; a
 *   refused one is taken back locally and waits at the head of its lane (ModelQueue.confirm).
 * Restamps and settlements update the entry (UPSERT). Only token counts, times, a random instance id,
 * learned quotas and token ratios go to Redis — never code, paths, prompts or credentials; keys are named by the
 * opaque destinationKey() and a hash of the model id.
 *
 * Redis is a help, not a requirement: unreachable at the start or lost mid-run costs one warning, and
 * admissions go on locally (through the machine's file ledger when there is one) until it is back;
 * the client reconnects with backoff, and our live reservations are written again when it is.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Reservation, WindowPeers } from '../schedule/quotaWindow';
import { ADMIT, PEEK, UPSERT } from './redisScripts';
import { parseSharedQuotaUrl, redact, type SharedQuotaTarget } from './redisUrl';

export interface RedisLedgerOptions {
  clock: Clock;
  logger?: Logger;
  /** Real ms between refreshes of the mirror of the others' reservations. Default 150. */
  refreshMs?: number;
  /** Used while Redis is away (the machine's file ledger), so this machine still shares. */
  fallback?: { window(destination: string, modelId: string): WindowPeers };
  /** Real ms a command may take before Redis counts as away. Default 1,000. */
  commandTimeoutMs?: number;
  /** Emulated ms a learned quota published by another instance stays believable. Default 2 minutes. */
  quotaFreshMs?: number;
}

type Reply = (string | number | Reply)[];
interface ScriptCommands {
  chorusAdmit(z: string, t: string, ...args: (string | number)[]): Promise<Reply>;
  chorusUpsert(z: string, t: string, ...args: (string | number)[]): Promise<Reply>;
  chorusPeek(z: string, t: string, q: string, c: string, ...args: (string | number)[]): Promise<Reply>;
}

/** Until QuotaWindow.confirm passes the real span: the 60 s window plus the default guard. */
const DEFAULT_SPAN_MS = 61_000;

function hash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** {id, at, tokens} triples (ADMIT/UPSERT/PEEK replies) → reservations of instances other than `own`. */
function othersOf(flat: Reply, ownPrefix: string): Reservation[] {
  const out: Reservation[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    const id = String(flat[i]);
    const at = Number(flat[i + 1]);
    const tokens = Number(flat[i + 2]);
    if (!id.startsWith(ownPrefix) && Number.isFinite(at) && Number.isFinite(tokens) && tokens > 0) out.push({ at, tokens });
  }
  return out;
}

export class RedisQuotaLedger {
  /** Random, per ledger: the only identity that goes to Redis. */
  readonly instance = randomBytes(8).toString('hex');
  private readonly target: SharedQuotaTarget;
  private readonly client: Redis & ScriptCommands;
  private readonly windows: RedisWindow[] = [];
  private readonly timer: NodeJS.Timeout;
  private up = false;
  /** An outage was announced (one warning per outage; the return is logged as info). */
  private announced = false;
  /** performance.now() of the last warning: a server that keeps failing warns once a minute at most. */
  private warnedAt = Number.NEGATIVE_INFINITY;
  private probing = false;
  private closed = false;
  private readonly firstContact: Promise<void>;

  /** Throws SharedQuotaUrlError for an unusable URL (the message never quotes it). */
  constructor(
    url: string,
    readonly options: RedisLedgerOptions,
  ) {
    this.target = parseSharedQuotaUrl(url);
    const client = new Redis({
      ...this.target.options,
      // A command while disconnected fails at once (we fall back) instead of queueing for later.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      // Reconnect forever, 50 ms doubling to 2 s: when Redis is back, so is sharing.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
      lazyConnect: false,
    });
    client.defineCommand('chorusAdmit', { numberOfKeys: 2, lua: ADMIT });
    client.defineCommand('chorusUpsert', { numberOfKeys: 2, lua: UPSERT });
    client.defineCommand('chorusPeek', { numberOfKeys: 4, lua: PEEK });
    this.client = client as Redis & ScriptCommands;
    let contact: () => void = () => {};
    this.firstContact = new Promise<void>((resolve) => (contact = resolve));
    client.on('ready', () => {
      contact();
      this.back();
    });
    client.on('error', (err: unknown) => {
      contact();
      this.lost(err);
    });
    client.on('close', () => {
      if (!this.closed) this.lost(new Error('the connection was lost'));
    });
    this.timer = setInterval(() => this.refresh(), options.refreshMs ?? 150);
    this.timer.unref();
  }

  get display(): string {
    return this.target.display;
  }

  /** Whether Redis is answering now. */
  get connected(): boolean {
    return this.up;
  }

  /**
   * Resolves when the first connection is made or has failed (or after `timeoutMs` real): the first
   * admissions of a run — its opening burst — should be counted in the shared window.
   */
  ready(timeoutMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([this.firstContact, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]).finally(() => clearTimeout(timer));
  }

  /** The peers of one destination's model; `destination` is a destinationKey(). */
  window(destination: string, modelId: string): WindowPeers {
    const scale = Number((1 / this.options.clock.toRealMs(1)).toPrecision(9));
    // One hash tag for all four keys, so a cluster keeps them in one slot (a script needs that).
    // Instances on different clock scales (tests, benchmarks) never share: their times differ.
    const base = `chorus:quota:v1:{${destination}:${hash(modelId, 16)}:${scale}}`;
    const w = new RedisWindow(this, { z: `${base}:z`, t: `${base}:t`, q: `${base}:q`, c: `${base}:c` }, this.options.fallback?.window(destination, modelId));
    this.windows.push(w);
    return w.peers;
  }

  /** Ends the connection after what was sent (the last settlements) is written. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      if (this.client.status === 'ready') await this.client.quit();
      else this.client.disconnect();
    } catch {
      this.client.disconnect();
    }
  }

  // ── for RedisWindow ────────────────────────────────────────────────────────────────────────

  get clock(): Clock {
    return this.options.clock;
  }

  get redis(): ScriptCommands {
    return this.client;
  }

  get isUp(): boolean {
    return this.up && !this.closed;
  }

  /** Real ms both keys outlive their newest entry. */
  ttlFor(spanMs: number): number {
    return Math.ceil(this.clock.toRealMs(spanMs) * 2) + 5_000;
  }

  /** Redis went away (or refused a command): one warning, then local accounting until it is back. */
  lost(err: unknown): void {
    if (this.closed) return;
    this.up = false;
    if (this.announced) return;
    this.announced = true;
    const e = err as NodeJS.ErrnoException | undefined;
    const why = redact(e?.code ?? e?.message ?? String(err), this.target);
    const local = this.options.fallback ? 'this machine only' : 'this process only';
    const message = `the shared quota ledger at ${this.target.display} cannot be reached (${why}); quotas are counted for ${local} until it is back`;
    if (performance.now() - this.warnedAt < 60_000) return this.options.logger?.debug(message);
    this.warnedAt = performance.now();
    this.options.logger?.warn(message);
  }

  /** Connected again (or answering again): share from now on, starting with what we hold. */
  private back(): void {
    if (this.closed) return;
    this.up = true;
    if (this.announced) this.options.logger?.info(`the shared quota ledger at ${this.target.display} is back: quotas are shared again`);
    this.announced = false;
    for (const w of this.windows) w.resync();
  }

  private refresh(): void {
    if (this.isUp) {
      for (const w of this.windows) w.peek();
      return;
    }
    // A command timed out or failed on a connection that stayed open: no 'ready' will follow, so ask.
    if (this.closed || this.probing || this.client.status !== 'ready') return;
    this.probing = true;
    this.client.ping().then(
      () => {
        this.probing = false;
        if (this.client.status === 'ready') this.back();
      },
      () => (this.probing = false),
    );
  }
}

/** One destination-model's window in Redis, with the mirror of the others' entries. */
class RedisWindow {
  /**
   * Our entries Redis holds (or must), as last written; `at` NaN: to be written (again). Only what a
   * confirm admitted is here: a reservation is first written by its confirm, never by a publish.
   */
  private readonly written = new Map<Reservation, { id: string; at: number; tokens: number }>();
  private own: readonly Reservation[] = [];
  private mirror: Reservation[] = [];
  private spanMs = DEFAULT_SPAN_MS;
  private seq = 0;
  private ownQuota = 0;
  private peerQuota = 0;
  /** Our token ratio and the answers it rests on (published), and the others' median (0: none). */
  private ownRatio = 0;
  private ownObserved = 0;
  private peerRatio = 0;
  readonly peers: WindowPeers;

  constructor(
    private readonly ledger: RedisQuotaLedger,
    private readonly keys: { z: string; t: string; q: string; c: string },
    private readonly fallback: WindowPeers | undefined,
  ) {
    this.peers = {
      others: (forAdmission) => this.others(forAdmission),
      publish: (own) => this.publish(own),
      confirm: (r, tokenLimit, requestLimit, spanMs) => this.confirm(r, tokenLimit, requestLimit, spanMs),
      sharedQuota: (own) => {
        this.ownQuota = own;
        return this.ledger.isUp && this.peerQuota > 0 ? Math.min(own, this.peerQuota) : own;
      },
      sharedRatio: (own, observed) => {
        this.ownRatio = own;
        this.ownObserved = observed;
        return this.ledger.isUp && this.peerRatio > 0 ? this.peerRatio : undefined;
      },
    };
  }

  private get prefix(): string {
    return `${this.ledger.instance}.`;
  }

  private others(forAdmission: boolean): Reservation[] {
    const horizon = this.ledger.clock.now() - this.spanMs;
    this.mirror = this.mirror.filter((e) => e.at > horizon);
    if (this.ledger.isUp || !this.fallback) return this.mirror;
    // Away: what the others held when we last saw them (it ages out) and this machine's file ledger.
    // Instances on this machine may be counted twice meanwhile: an overcount, never a throttle.
    return [...this.mirror, ...this.fallback.others(forAdmission)];
  }

  private publish(own: readonly Reservation[]): void {
    this.own = own;
    this.fallback?.publish(own);
    const live = new Set(own);
    for (const [r, w] of this.written) {
      if (live.has(r)) continue;
      // Gone from our window: aged out, or refused (a refused call leaves the window, QuotaWindow.settle).
      // A refused one still holds its reservation here until zeroed; the service counted none of it.
      if (this.ledger.isUp && w.tokens > 0 && Number.isFinite(w.at)) this.upsert({ at: w.at, tokens: 0 }, w);
      this.written.delete(r);
    }
    if (!this.ledger.isUp) return;
    for (const r of own) {
      const w = this.written.get(r);
      if (w && (w.at !== r.at || w.tokens !== r.tokens)) this.upsert(r, w);
    }
  }

  /** Redis is back: everything we hold goes there again (made while it was away, or lost with it). */
  resync(): void {
    for (const w of this.written.values()) w.at = Number.NaN;
    this.publish(this.own);
  }

  private async confirm(r: Reservation, tokenLimit: number, requestLimit: number, spanMs?: number): Promise<number> {
    if (spanMs !== undefined && spanMs > 0) this.spanMs = spanMs;
    const id = this.nextId();
    // Admitted locally (and on the file ledger) while Redis is away: written when it is back.
    const later = () => (this.written.set(r, { id, at: Number.NaN, tokens: r.tokens }), 0);
    if (!this.ledger.isUp) return later();
    const now = this.ledger.clock.now();
    try {
      const reply = await this.ledger.redis.chorusAdmit(
        this.keys.z,
        this.keys.t,
        now,
        this.spanMs,
        tokenLimit,
        Number.isFinite(requestLimit) ? requestLimit : 0,
        id,
        r.at,
        r.tokens,
        this.ledger.ttlFor(this.spanMs),
      );
      this.mirror = othersOf(reply[1] as Reply, this.prefix);
      if (Number(reply[0]) === 1) {
        this.written.set(r, { id, at: r.at, tokens: r.tokens });
        return 0;
      }
      return Math.max(1, Number(reply[2]) || 1);
    } catch (err) {
      this.ledger.lost(err);
      return later();
    }
  }

  private upsert(r: Reservation, written: { id: string; at: number; tokens: number }): void {
    const id = written.id;
    written.at = r.at;
    written.tokens = r.tokens;
    const now = this.ledger.clock.now();
    this.ledger.redis.chorusUpsert(this.keys.z, this.keys.t, now, this.spanMs, id, r.at, r.tokens, this.ledger.ttlFor(this.spanMs)).then(
      (reply) => (this.mirror = othersOf(reply[0] as Reply, this.prefix)),
      (err: unknown) => {
        written.at = Number.NaN; // written again on the next publish or when Redis is back
        this.ledger.lost(err);
      },
    );
  }

  peek(): void {
    const now = this.ledger.clock.now();
    const fresh = this.ledger.options.quotaFreshMs ?? 120_000;
    this.ledger.redis
      .chorusPeek(this.keys.z, this.keys.t, this.keys.q, this.keys.c, now, this.spanMs, this.ledger.instance, Math.round(this.ownQuota), fresh, this.ledger.ttlFor(fresh), this.ownRatio, this.ownObserved)
      .then(
        (reply) => {
          this.mirror = othersOf(reply[0] as Reply, this.prefix);
          this.peerQuota = Number(reply[1]) || 0;
          const ratio = Number(reply[2]);
          this.peerRatio = Number.isFinite(ratio) && ratio > 0 ? ratio : 0;
        },
        (err: unknown) => this.ledger.lost(err),
      );
  }

  private nextId(): string {
    return `${this.prefix}${(this.seq++).toString(36)}`;
  }
}
