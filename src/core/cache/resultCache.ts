/**
 * The result cache: findings of one file's (redacted) content by one model at one destination under
 * one prompt version. Unchanged files spend zero tokens on the next run. One small JSON file per entry
 * in a directory, so concurrent hosts never corrupt a shared index; recency is the file's mtime
 * (touched on a hit), and the least recently used entries are evicted when the cache outgrows its
 * bounds.
 *
 * The destination is part of the key: an answer from one server (an emulator, or a server a
 * redirected run reached) is never served for another. A directory that cannot be created or written
 * (a read-only HOME in a CI container) is not an error: the cache says so once and keeps to memory.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROMPT_VERSION, type RawFinding } from '../contract';

export interface CacheEntry {
  model: string;
  /** Findings with lines of the cached content; `file` is rewritten to the current path on a hit. */
  findings: RawFinding[];
}

export interface CacheLimits {
  maxEntries: number;
  maxBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 20_000, maxBytes: 64 * 1024 * 1024 };

interface IndexEntry {
  size: number;
  usedAt: number;
}

export interface CacheKeyParts {
  contentHash: string;
  model: string;
  /** `destinationKey()` of where the answer came from. */
  destination: string;
  promptVersion?: number;
}

export function cacheKey(parts: CacheKeyParts): string {
  const { contentHash, model, destination, promptVersion = PROMPT_VERSION } = parts;
  return createHash('sha256').update(`${destination}\0${model}\0${promptVersion}\0${contentHash}`).digest('hex');
}

export interface CacheOptions {
  limits?: CacheLimits;
  /** `destinationKey()` of the server this cache's answers come from; '' only in tests. */
  destination?: string;
  /** Told once when the directory cannot be used, with why; the cache then keeps to memory. */
  onUnavailable?: (message: string) => void;
}

export class ResultCache {
  private index?: Map<string, IndexEntry>;
  /** Without a directory the cache lives in memory only (tests, hosts without storage). */
  private readonly memory = new Map<string, CacheEntry>();
  private tick = 0;
  private lastUsedAt = 0;
  private readonly limits: CacheLimits;
  private readonly destination: string;
  /** The directory in use; undefined without one, or once it proved unusable. */
  private disk: string | undefined;

  constructor(
    readonly dir: string | undefined,
    private readonly options: CacheOptions = {},
  ) {
    this.limits = options.limits ?? DEFAULT_CACHE_LIMITS;
    this.destination = options.destination ?? '';
    this.disk = dir;
    if (!(this.limits.maxEntries > 0) || !(this.limits.maxBytes > 0)) {
      throw new TypeError(`Expected positive cache limits, got ${JSON.stringify(this.limits)}`);
    }
  }

  private keyOf(contentHash: string, model: string): string {
    return cacheKey({ contentHash, model, destination: this.destination });
  }

  /** Falls back to memory for the rest of this cache's life, saying why once. */
  private unavailable(err: unknown): void {
    if (this.disk === undefined) return;
    const code = (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));
    this.options.onUnavailable?.(`the result cache at ${this.disk} cannot be used (${code}); this run goes on without a persistent cache`);
    this.disk = undefined;
    this.index = undefined;
  }

  async get(contentHash: string, model: string): Promise<CacheEntry | undefined> {
    const key = this.keyOf(contentHash, model);
    const index = await this.loadIndex();
    if (!index) return this.touchMemory(key);
    const known = index.get(key);
    if (!known) return undefined;
    try {
      const entry = JSON.parse(await readFile(this.pathOf(key), 'utf8')) as CacheEntry;
      if (entry.model !== model || !Array.isArray(entry.findings)) throw new Error('stale entry');
      known.usedAt = this.nextUse();
      const when = new Date(known.usedAt);
      await utimes(this.pathOf(key), when, when).catch(() => undefined);
      return entry;
    } catch {
      // Corrupt or removed by another process: forget it; the file will simply be analyzed again.
      index.delete(key);
      await rm(this.pathOf(key), { force: true }).catch(() => undefined);
      return undefined;
    }
  }

  /** Forgets an entry that turned out unusable (it failed validation on read). */
  async forget(contentHash: string, model: string): Promise<void> {
    const key = this.keyOf(contentHash, model);
    this.memory.delete(key);
    const index = await this.loadIndex();
    if (!index) return;
    index.delete(key);
    await rm(this.pathOf(key), { force: true }).catch(() => undefined);
  }

  async set(contentHash: string, model: string, findings: readonly RawFinding[]): Promise<void> {
    const key = this.keyOf(contentHash, model);
    const entry: CacheEntry = { model, findings: [...findings] };
    const index = await this.loadIndex();
    if (!index) {
      this.memory.set(key, entry);
      this.evictMemory();
      return;
    }
    const body = JSON.stringify(entry);
    const tmp = `${this.pathOf(key)}.${process.pid}.${++this.tick}.tmp`;
    try {
      await writeFile(tmp, body);
      await rename(tmp, this.pathOf(key));
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      this.unavailable(err);
      return this.set(contentHash, model, findings);
    }
    index.set(key, { size: Buffer.byteLength(body), usedAt: this.nextUse() });
    await this.evict(index);
  }

  async clear(): Promise<void> {
    this.memory.clear();
    if (!this.dir) return;
    await rm(this.dir, { recursive: true, force: true });
    this.index = undefined;
  }

  /** Entries and bytes currently held (for `chorus cache` and tests). */
  async size(): Promise<{ entries: number; bytes: number }> {
    const index = await this.loadIndex();
    if (!index) return { entries: this.memory.size, bytes: 0 };
    let bytes = 0;
    for (const e of index.values()) bytes += e.size;
    return { entries: index.size, bytes };
  }

  /** Strictly increasing use times, so two uses in one millisecond still have an order. */
  private nextUse(): number {
    this.lastUsedAt = Math.max(Date.now(), this.lastUsedAt + 0.001);
    return this.lastUsedAt;
  }

  private pathOf(key: string): string {
    return join(this.disk!, `${key}.json`);
  }

  private touchMemory(key: string): CacheEntry | undefined {
    const entry = this.memory.get(key);
    if (entry) {
      this.memory.delete(key); // re-insert: Map order is our LRU order
      this.memory.set(key, entry);
    }
    return entry;
  }

  private evictMemory(): void {
    while (this.memory.size > this.limits.maxEntries) {
      const oldest = this.memory.keys().next().value;
      if (oldest === undefined) break;
      this.memory.delete(oldest);
    }
  }

  /** The on-disk index, or undefined when the cache keeps to memory. */
  private async loadIndex(): Promise<Map<string, IndexEntry> | undefined> {
    if (this.index || this.disk === undefined) return this.index;
    const dir = this.disk;
    const index = new Map<string, IndexEntry>();
    try {
      await mkdir(dir, { recursive: true });
      for (const name of await readdir(dir)) {
        if (!name.endsWith('.json')) continue;
        const info = await stat(join(dir, name)).catch(() => undefined);
        if (info) index.set(name.slice(0, -5), { size: info.size, usedAt: info.mtimeMs });
      }
    } catch (err) {
      this.unavailable(err);
      return undefined;
    }
    this.index = index;
    return index;
  }

  private async evict(index: Map<string, IndexEntry>): Promise<void> {
    let bytes = 0;
    for (const e of index.values()) bytes += e.size;
    if (index.size <= this.limits.maxEntries && bytes <= this.limits.maxBytes) return;
    const oldestFirst = [...index.entries()].sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [key, entry] of oldestFirst) {
      if (index.size <= this.limits.maxEntries && bytes <= this.limits.maxBytes) break;
      index.delete(key);
      bytes -= entry.size;
      await rm(this.pathOf(key), { force: true }).catch(() => undefined);
    }
  }
}
