/**
 * Probing above the highest window level the service accepted (QuotaWindow.probeMs, the dispatcher's
 * `probeQuota`), and the learned quota landing on the real one: with a quota configured 2× too high,
 * one throttle instead of a burst of them, and none after.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { estimatePromptTokens } from '../../../src/core/plan';
import { ProviderError, type ModelProvider, type ModelRequest, type ModelResponse } from '../../../src/core/providers/provider';
import { Dispatcher, QuotaWindow, type BatchResult } from '../../../src/core/schedule';
import { makeBatch } from './fakes';

describe('QuotaWindow probing', () => {
  it('above the proven level, one call at a time: the next waits until the last was sent a probe span ago', async () => {
    const clock = new VirtualClock();
    const w = new QuotaWindow(clock, 60_000, 0, 1_000);
    assert.equal(w.waitFor(10, 100), 0, 'an empty window admits');
    const r = w.reserve(10);
    assert.equal(w.waitFor(10, 100), 1_000, 'not sent yet: it proves nothing');
    await clock.advance(300);
    w.restamp(r, clock.now()); // sent
    assert.equal(w.waitFor(10, 100), 1_000);
    await clock.advance(1_000);
    assert.equal(w.waitFor(10, 100), 0, 'not refused within the span: accepted');
    assert.equal(w.provenLevel, 10);
    assert.equal(w.acceptedTokens(), 10);
  });

  it('below the proven level, calls go at once; a refused call proves nothing and is not held', async () => {
    const clock = new VirtualClock();
    const w = new QuotaWindow(clock, 60_000, 0, 1_000);
    const first = w.reserve(50);
    w.restamp(first, 0);
    w.settle(first, 40); // answered: proven at what it was charged
    assert.equal(w.provenLevel, 40);
    assert.equal(w.waitFor(30, 100), 0, 'up to the proven level at once');
    const probe = w.reserve(30);
    w.restamp(probe, clock.now());
    assert.equal(w.acceptedTokens(), 40, 'a probe on its way is not known to be held');
    assert.ok(w.waitFor(20, 100) > 0, 'the next above the proven level waits for the probe');
    await clock.advance(200);
    w.settle(probe, 0); // throttled
    assert.equal(w.provenLevel, 40);
    assert.equal(w.waitFor(20, 100), 0, 'a refusal ends the probe: the next may try');
  });

  it('no free band above the proven level: two calls never cross it together (a quota configured 2× too high)', async () => {
    const clock = new VirtualClock();
    const w = new QuotaWindow(clock, 60_000, 0, 1_000);
    // The service accepted 80k of a quota configured at 200k (its real one may be anywhere above).
    const held = w.reserve(80_000);
    w.restamp(held, 0);
    w.settle(held, 80_000);
    assert.equal(w.provenLevel, 80_000);
    assert.equal(w.waitFor(10_000, 200_000), 0, 'the first call above it goes');
    w.restamp(w.reserve(10_000), clock.now());
    // Before: free up to proven + a tenth of the limit (100k), so this one went too and both bounced.
    assert.ok(w.waitFor(10_000, 200_000) > 0, 'the second waits until the first is proven or refused');
    await clock.advance(1_000);
    assert.equal(w.waitFor(10_000, 200_000), 0, 'the first was not refused: the next may go');
  });

  it('the first tenth of the limit is free from an empty window (a run\'s first small calls go together)', () => {
    const w = new QuotaWindow(new VirtualClock(), 60_000, 0, 1_000);
    for (let i = 0; i < 5; i++) {
      assert.equal(w.waitFor(2_000, 100_000), 0, `call ${i + 1}`);
      w.reserve(2_000);
    }
    assert.ok(w.waitFor(2_000, 100_000) > 0, 'beyond it, one unproven call at a time');
  });

  it('off (probeMs 0): every call that fits goes at once, as before', () => {
    const w = new QuotaWindow(new VirtualClock());
    w.reserve(10);
    assert.equal(w.waitFor(10, 100), 0);
    assert.equal(w.acceptedTokens(), 10);
  });
});

/**
 * A service whose true quota is `tpm`, counted as Bedrock does: reserve input + maxTokens at arrival
 * (refused at once when it does not fit the last minute), settle to input + output at the answer.
 */
function strictService(clock: VirtualClock, tpm: number, latencyMs = 4_000) {
  const window: { at: number; tokens: number }[] = [];
  let throttles = 0;
  let requests = 0;
  const provider: ModelProvider = {
    converse: async (request: ModelRequest, signal: AbortSignal): Promise<ModelResponse> => {
      await clock.sleep(50, signal); // on its way
      request.onSent?.();
      await clock.sleep(100, signal);
      requests++;
      const now = clock.now();
      const input = estimatePromptTokens(request.system, request.prompt);
      const held = window.filter((e) => e.at > now - 60_000).reduce((s, e) => s + e.tokens, 0);
      if (held + input + request.maxTokens > tpm) {
        throttles++;
        await clock.sleep(100, signal);
        throw new ProviderError('throttled', 'ThrottlingException', 'Too many tokens, please wait before trying again.');
      }
      const entry = { at: now, tokens: input + request.maxTokens };
      window.push(entry);
      await clock.sleep(latencyMs, signal);
      entry.tokens = input + 200;
      return { toolInput: { findings: [] }, usage: { inputTokens: input, outputTokens: 200 }, stopReason: 'tool_use', latencyMs };
    },
  };
  return { provider, stats: () => ({ throttles, requests }) };
}

async function runWrongQuota(probeQuota: boolean, kb = 20) {
  const clock = new VirtualClock();
  const service = strictService(clock, 50_000);
  const model: ModelConfig = { id: 'm', tokensPerMinute: 100_000, maxKbPerBatch: 350, maxOutputTokens: 4_000 };
  const dispatcher = new Dispatcher({ models: [model], providerFor: () => service.provider, clock, random: () => 0.5, priorTokenRatio: 1, probeQuota });
  const results: Promise<BatchResult>[] = Array.from({ length: 40 }, (_, i) => dispatcher.submit(makeBatch(`b${i}`, 'm', { kb })));
  await clock.runAll();
  const done = await Promise.all(results);
  dispatcher.dispose();
  return { ...service.stats(), ok: done.filter((r) => r.status === 'ok').length, minutes: clock.now() / 60_000 };
}

describe('Dispatcher with probeQuota: a quota configured 2× too high', () => {
  it('costs one throttle, and the learned quota lands on the real one (none after)', async () => {
    const probing = await runWrongQuota(true);
    const blind = await runWrongQuota(false);
    if (process.env.CHORUS_TEST_VERBOSE) console.log(`      probing: ${probing.throttles} of ${probing.requests} throttled in ${probing.minutes.toFixed(2)} min; without: ${blind.throttles} of ${blind.requests} in ${blind.minutes.toFixed(2)} min`);
    assert.equal(probing.ok, 40);
    assert.equal(blind.ok, 40);
    assert.equal(probing.throttles, 1, `probing: ${probing.throttles} of ${probing.requests} throttled`);
    assert.ok(blind.throttles > probing.throttles, `without probing the first window bounces: ${blind.throttles} of ${blind.requests}`);
    assert.ok(probing.minutes <= blind.minutes * 1.1, `probing is not slower: ${probing.minutes.toFixed(2)} vs ${blind.minutes.toFixed(2)} min`);
  });

});
