import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey, ResultCache, userCacheDir } from '../../../src/core/cache';
import type { RawFinding } from '../../../src/core/contract';

const finding: RawFinding = { file: 'a.js', startLine: 1, endLine: 1, severity: 'info', ruleId: 'todo-comment', message: 'todo' };

describe('result cache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'chorus-cache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keys by content hash, model and prompt version', () => {
    assert.notEqual(cacheKey('h', 'a'), cacheKey('h', 'b'));
    assert.notEqual(cacheKey('h', 'a', 1), cacheKey('h', 'a', 2));
    assert.equal(cacheKey('h', 'a'), cacheKey('h', 'a'));
  });

  it('persists entries across instances, per model', async () => {
    await new ResultCache(dir).set('h1', 'nova', [finding]);
    const fresh = new ResultCache(dir);
    assert.deepEqual(await fresh.get('h1', 'nova'), { model: 'nova', findings: [finding] });
    assert.equal(await fresh.get('h1', 'llama'), undefined);
    assert.equal(await fresh.get('h2', 'nova'), undefined);
  });

  it('evicts the least recently used entries beyond its bounds', async () => {
    const cache = new ResultCache(dir, { maxEntries: 2, maxBytes: 1e9 });
    await cache.set('old', 'm', []);
    await cache.set('used', 'm', []);
    assert.ok(await cache.get('old', 'm')); // now 'used' is the least recently used
    await cache.set('new', 'm', []);
    assert.equal(readdirSync(dir).length, 2);
    assert.ok(await cache.get('old', 'm'));
    assert.ok(await cache.get('new', 'm'));
    assert.equal(await cache.get('used', 'm'), undefined);
  });

  it('treats a corrupt entry as a miss and clear() empties it', async () => {
    const cache = new ResultCache(dir);
    await cache.set('h', 'm', [finding]);
    writeFileSync(join(dir, `${cacheKey('h', 'm')}.json`), '{broken');
    assert.equal(await new ResultCache(dir).get('h', 'm'), undefined);
    await cache.set('h2', 'm', []);
    await cache.clear();
    assert.deepEqual(await cache.size(), { entries: 0, bytes: 0 });
    assert.equal(await new ResultCache(dir).get('h2', 'm'), undefined);
  });

  it('works in memory without a directory', async () => {
    const cache = new ResultCache(undefined, { maxEntries: 1, maxBytes: 1 });
    await cache.set('a', 'm', []);
    await cache.set('b', 'm', []);
    assert.equal(await cache.get('a', 'm'), undefined);
    assert.ok(await cache.get('b', 'm'));
  });

  it('finds the user cache directory', () => {
    assert.equal(userCacheDir({ XDG_CACHE_HOME: '/x' }, 'linux'), join('/x', 'chorus'));
    assert.equal(userCacheDir({ CHORUS_CACHE_DIR: '/c' }, 'linux'), '/c');
  });
});
