/**
 * `chorus quotas` end to end: the CLI as a child process reads the emulator's Service Quotas through
 * the real SDK, prints them beside the config, writes them into a user config file (never into the
 * current folder without --write-in-repo), and fails clearly when the account may not list quotas.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../src/emulator';
import { cliEnv, emulator, runChorus, SAMPLE, tempDir, writeTree } from './helpers';

const MODELS = [
  { id: 'us.amazon.nova-pro-v1:0', tokensPerMinute: 40_000, tokensPerDay: 5_000_000 },
  { id: 'us.meta.llama3-3-70b-instruct-v1:0', tokensPerMinute: 30_000, requestsPerMinute: 25, toolChoice: ['auto' as const] },
];

describe('chorus quotas', function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    emu = await emulator({ models: MODELS, serviceQuotas: { pageSize: 2 } });
    dir = tempDir('quotas');
    env = cliEnv(join(dir, 'cache'));
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the account quotas beside the configured ones, as JSON too', async () => {
    const text = await runChorus(['quotas', '--endpoint', emu.url], env, dir);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /us\.amazon\.nova-pro-v1:0\s+cross-region\s+100,000 \(default\)\s+40,000\s+5,000,000\s+-\s+L-[0-9A-F]{8}/);
    assert.match(text.stdout, /account RPM/);
    assert.match(text.stdout, /us\.meta\.llama3-3-70b-instruct-v1:0\s+cross-region\s+60,000 \(default\)\s+30,000\s+43,200,000\s+25\s+L-/);
    const json = await runChorus(['quotas', '--endpoint', emu.url, '--json'], env, dir);
    assert.equal(json.code, 0, json.stderr);
    const rows = (JSON.parse(json.stdout) as { models: { modelId: string; accountTokensPerMinute?: number; accountTokensPerDay?: number; accountRequestsPerMinute?: number }[] }).models;
    assert.deepEqual(rows.map((r) => [r.modelId, r.accountTokensPerMinute, r.accountTokensPerDay, r.accountRequestsPerMinute]), [
      ['us.amazon.nova-pro-v1:0', 40_000, 5_000_000, undefined],
      ['us.meta.llama3-3-70b-instruct-v1:0', 30_000, 30_000 * 1_440, 25],
    ]);
  });

  it('--write puts the account TPM into a user config file and keeps its other fields', async () => {
    const home = tempDir('quotas-home');
    const file = join(home, 'chorus.json');
    writeFileSync(file, JSON.stringify({ maxFileKb: 64, models: [{ id: 'us.amazon.nova-pro-v1:0', label: 'Pro', tokensPerMinute: 100_000 }, { id: 'us.meta.llama3-3-70b-instruct-v1:0' }] }));
    try {
      const run = await runChorus(['quotas', '--endpoint', emu.url, '--config', file, '--write', file], env, dir);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /wrote tokensPerMinute of us\.amazon\.nova-pro-v1:0, us\.meta\.llama3-3-70b-instruct-v1:0/);
      const written = JSON.parse(readFileSync(file, 'utf8')) as { maxFileKb: number; models: { id: string; label?: string; tokensPerMinute: number }[] };
      assert.equal(written.maxFileKb, 64);
      assert.deepEqual(written.models, [{ id: 'us.amazon.nova-pro-v1:0', label: 'Pro', tokensPerMinute: 40_000 }, { id: 'us.meta.llama3-3-70b-instruct-v1:0', tokensPerMinute: 30_000 }]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('refuses to --write a file inside the current folder unless --write-in-repo', async () => {
    const inRepo = join(dir, 'chorus.config.json');
    const refused = await runChorus(['quotas', '--endpoint', emu.url, '--write', 'chorus.config.json'], env, dir);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /inside the current folder.*--write-in-repo/);
    const allowed = await runChorus(['quotas', '--endpoint', emu.url, '--write', 'chorus.config.json', '--write-in-repo'], env, dir);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal((JSON.parse(readFileSync(inRepo, 'utf8')) as { models: unknown[] }).models.length, 2);
    rmSync(inRepo);
  });

  it('chorus analyze uses the account quota where the config leaves it out; an unreadable account warns once and runs on the defaults', async () => {
    const root = writeTree(tempDir('quotas-analyze'), SAMPLE);
    try {
      const run = await runChorus(['analyze', root, '--endpoint', emu.url, '--format', 'json'], env);
      assert.ok(run.code === 0 || run.code === 1, run.stderr);
      assert.doesNotMatch(run.stderr, /account's Bedrock quotas|No usable account/);
      // The progress line shows each model's quota: the account's 40k / 30k, not the defaults 100k / 60k.
      assert.match(run.stderr, /amazon\.nova-pro [\d.]+k\/40k tok\/min · meta\.llama3-3-70b [\d.]+k\/30k tok\/min/);
      const denied = await emulator({ models: MODELS, serviceQuotas: { access: 'denied' } });
      try {
        const fallback = await runChorus(['analyze', root, '--endpoint', denied.url, '--format', 'json', '--no-cache'], env);
        assert.ok(fallback.code === 0 || fallback.code === 1, fallback.stderr);
        assert.match(fallback.stderr, /amazon\.nova-pro [\d.]+k\/100k tok\/min · meta\.llama3-3-70b [\d.]+k\/60k tok\/min/);
        const warnings = fallback.stderr.split('\n').filter((l) => /Could not read the account's Bedrock quotas/.test(l));
        assert.equal(warnings.length, 1, fallback.stderr);
        assert.match(warnings[0]!, /AccessDeniedException.*known tokens-per-minute defaults/);
      } finally {
        await denied.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says why when the account may not list quotas, and exits non-zero', async () => {
    const denied = await emulator({ models: MODELS, serviceQuotas: { access: 'denied' } });
    try {
      const run = await runChorus(['quotas', '--endpoint', denied.url], env, dir);
      assert.equal(run.code, 3);
      assert.match(run.stderr, /not authorized to perform: servicequotas:ListServiceQuotas/);
    } finally {
      await denied.close();
    }
  });
});
