/**
 * The result cache: findings of one file's (redacted) content by one model under one prompt version.
 * Unchanged files spend zero tokens on the next run. One small JSON file per entry in a directory,
 * so concurrent hosts never corrupt a shared index; recency is the file's mtime (touched on a hit),
 * and the least recently used entries are evicted when the cache outgrows its bounds.
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

export function cacheKey(contentHash: string, model: string, promptVersion = PROMPT_VERSION): string {
  return createHash('sha256').update(`${contentHash}\0${model}\0${promptVersion}`).digest('hex');
}

export class ResultCache {
  private index?: Map<string, IndexEntry>;
  /** Without a directory the cache lives in memory only (tests, hosts without storage). */
  private readonly memory = new Map<string, CacheEntry>();
  private tick = 0;
  private lastUsedAt = 0;

  constructor(
    readonly dir: string | undefined,
    private readonly limits: CacheLimits = DEFAULT_CACHE_LIMITS,
  ) {
    if (!(limits.maxEntries > 0) || !(limits.maxBytes > 0)) {
      throw new TypeError(`Expected positive cache limits, got ${JSON.stringify(limits)}`);
    }
  }

  async get(contentHash: string, model: string): Promise<CacheEntry | undefined> {
    const key = cacheKey(contentHash, model);
    if (!this.dir) return this.touchMemory(key);
    const index = await this.loadIndex();
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
      await rm(this.pathOf(key), { force: true });
      return undefined;
    }
  }

  async set(contentHash: string, model: string, findings: readonly RawFinding[]): Promise<void> {
    const key = cacheKey(contentHash, model);
    const entry: CacheEntry = { model, findings: [...findings] };
    if (!this.dir) {
      this.memory.set(key, entry);
      this.evictMemory();
      return;
    }
    const index = await this.loadIndex();
    const body = JSON.stringify(entry);
    const tmp = `${this.pathOf(key)}.${process.pid}.${++this.tick}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, this.pathOf(key));
    index.set(key, { size: Buffer.byteLength(body), usedAt: this.nextUse() });
    await this.evict(index);
  }

  async clear(): Promise<void> {
    this.memory.clear();
    if (!this.dir) return;
    await rm(this.dir, { recursive: true, force: true });
    this.index = new Map();
  }

  /** Entries and bytes currently held (for `chorus cache` and tests). */
  async size(): Promise<{ entries: number; bytes: number }> {
    if (!this.dir) return { entries: this.memory.size, bytes: 0 };
    const index = await this.loadIndex();
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
    return join(this.dir!, `${key}.json`);
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

  private async loadIndex(): Promise<Map<string, IndexEntry>> {
    if (this.index) return this.index;
    const index = new Map<string, IndexEntry>();
    await mkdir(this.dir!, { recursive: true });
    for (const name of await readdir(this.dir!)) {
      if (!name.endsWith('.json')) continue;
      const info = await stat(join(this.dir!, name)).catch(() => undefined);
      if (info) index.set(name.slice(0, -5), { size: info.size, usedAt: info.mtimeMs });
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
      await rm(this.pathOf(key), { force: true });
    }
  }
}
