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

  const key = (contentHash: string, model: string, destination = 'd', promptVersion?: number) =>
    cacheKey({ contentHash, model, destination, ...(promptVersion !== undefined ? { promptVersion } : {}) });

  it('keys by destination, content hash, model and prompt version', () => {
    assert.notEqual(key('h', 'a'), key('h', 'b'));
    assert.notEqual(key('h', 'a', 'd', 1), key('h', 'a', 'd', 2));
    assert.notEqual(key('h', 'a', 'bedrock'), key('h', 'a', 'attacker'));
    assert.notEqual(key('h1', 'a'), key('h2', 'a'));
    assert.equal(key('h', 'a'), key('h', 'a'));
  });

  it('never serves an answer from one destination to another sharing the directory', async () => {
    await new ResultCache(dir, { destination: 'attacker' }).set('h', 'nova', []);
    assert.equal(await new ResultCache(dir, { destination: 'bedrock' }).get('h', 'nova'), undefined);
    assert.ok(await new ResultCache(dir, { destination: 'attacker' }).get('h', 'nova'));
  });

  it('keeps to memory, warning once, when the directory cannot be created', async () => {
    // A path below a regular file cannot become a directory, even for root (CI runs as root).
    writeFileSync(join(dir, 'file'), 'x');
    const warnings: string[] = [];
    const cache = new ResultCache(join(dir, 'file', 'cache'), { onUnavailable: (m) => warnings.push(m) });
    assert.equal(await cache.get('h', 'm'), undefined);
    await cache.set('h', 'm', [finding]);
    assert.deepEqual(await cache.get('h', 'm'), { model: 'm', findings: [finding] });
    await cache.set('h2', 'm', []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /cannot be used \(ENOTDIR\); this run goes on without a persistent cache/);
  });

  it('forgets an entry on request', async () => {
    const cache = new ResultCache(dir);
    await cache.set('h', 'm', [finding]);
    await cache.forget('h', 'm');
    assert.equal(await new ResultCache(dir).get('h', 'm'), undefined);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('persists entries across instances, per model', async () => {
    await new ResultCache(dir).set('h1', 'nova', [finding]);
    const fresh = new ResultCache(dir);
    assert.deepEqual(await fresh.get('h1', 'nova'), { model: 'nova', findings: [finding] });
    assert.equal(await fresh.get('h1', 'llama'), undefined);
    assert.equal(await fresh.get('h2', 'nova'), undefined);
  });

  it('evicts the least recently used entries beyond its bounds', async () => {
    const cache = new ResultCache(dir, { limits: { maxEntries: 2, maxBytes: 1e9 } });
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
    writeFileSync(join(dir, `${key('h', 'm', '')}.json`), '{broken');
    assert.equal(await new ResultCache(dir).get('h', 'm'), undefined);
    await cache.set('h2', 'm', []);
    await cache.clear();
    assert.deepEqual(await cache.size(), { entries: 0, bytes: 0 });
    assert.equal(await new ResultCache(dir).get('h2', 'm'), undefined);
  });

  it('works in memory without a directory', async () => {
    const cache = new ResultCache(undefined, { limits: { maxEntries: 1, maxBytes: 1 } });
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
