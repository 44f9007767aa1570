import assert from 'node:assert/strict';
import type { RunSnapshot } from '../../../src/core/metrics/types';
import {
  PROTOCOL_LIMITS, validateHostMessage, validatePageMessage, validateRunSnapshot,
} from '../../../src/core/webviewProtocol';

function snapshot(): RunSnapshot {
  return {
    at: 1000, filesTotal: 10, filesDone: 4, utilization: 0.5, etaMs: 30_000,
    models: [{
      id: 'm1', label: 'Model one', quotaTpm: 1000, effectiveTpm: 900, requests: 3, inputTokens: 10, outputTokens: 5,
      throttles: 1, errors: 0, retries: 1, fallbacksIn: 0, fallbacksOut: 0, spilloversIn: 0, spilloversOut: 0,
      inFlight: 2, queued: { interactive: 1, background: 4 }, latencyP50Ms: 100, latencyP95Ms: 300, costUsd: 0.01,
      tokensPerMinute: 500, requestsPerMinute: 2,
    }],
    recentBatches: [{ batchId: 'b1', model: 'm1', files: 2, inputTokens: 10, outputTokens: 5, outcome: 'ok', reason: 'complexity 0.8', at: 900 }],
  };
}

const update = (frames: unknown[], run: unknown = { id: 'r1', state: 'running' }) => ({ type: 'update', run, frames });

function rejects(raw: unknown, pattern: RegExp): void {
  const result = validateHostMessage(raw);
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.error, pattern);
}

describe('webview protocol validators', () => {
  it('accepts a well-formed update and returns an equal value', () => {
    const frame = { runId: 'r1', snapshot: snapshot() };
    const result = validateHostMessage(update([frame]));
    assert.ok(result.ok);
    assert.deepEqual(result.value, { type: 'update', run: { id: 'r1', state: 'running' }, frames: [frame] });
  });

  it('keeps the calibration ratio and a shared quota’s account and own usage, and checks them', () => {
    const s = snapshot();
    Object.assign(s.models[0]!, { tokenRatio: 1.18, usageEstimated: 2, shared: { accountTpm: 9000, ownTpm: 1500, extra: 'x' } });
    const result = validateRunSnapshot(s);
    assert.ok(result.ok);
    assert.deepEqual(result.value.models[0]!.shared, { accountTpm: 9000, ownTpm: 1500 });
    assert.equal(result.value.models[0]!.tokenRatio, 1.18);
    assert.equal(result.value.models[0]!.usageEstimated, 2);
    Object.assign(s.models[0]!, { shared: { accountTpm: -1, ownTpm: 0 } });
    rejects(update([{ runId: 'r1', snapshot: s }]), /models\[0\]\.shared\.accountTpm: expected a finite number/);
  });

  it('drops fields it does not know, so nothing unexpected reaches the other side', () => {
    const s = { ...snapshot(), extra: '<img src=x>' } as RunSnapshot & { extra: string };
    const result = validateHostMessage({ ...update([{ runId: 'r1', snapshot: s, more: 1 }]), injected: true });
    assert.ok(result.ok);
    assert.equal('injected' in result.value, false);
    assert.equal('extra' in result.value.frames[0]!.snapshot, false);
    assert.equal('more' in result.value.frames[0]!, false);
  });

  it('says where and what was wrong', () => {
    const s = snapshot();
    (s.models[0] as unknown as Record<string, unknown>).tokensPerMinute = 'fast';
    rejects(update([{ runId: 'r1', snapshot: s }]), /update\.frames\[0\]\.snapshot\.models\[0\]\.tokensPerMinute: expected a finite number ≥ 0, got "fast"/);
  });

  it('rejects NaN, infinities and negative counts', () => {
    for (const bad of [NaN, Infinity, -1]) {
      rejects(update([{ runId: 'r1', snapshot: { ...snapshot(), filesDone: bad } }]), /filesDone: expected a finite number/);
    }
  });

  it('rejects unknown message types, unknown outcomes and run states', () => {
    rejects({ type: 'eval', code: 'x' }, /message\.type: expected one of update, got "eval"/);
    rejects('update', /message: expected an object, got "update"/);
    rejects(null, /got null/);
    const s = snapshot();
    (s.recentBatches[0] as unknown as Record<string, unknown>).outcome = 'exploded';
    rejects(update([{ runId: 'r1', snapshot: s }]), /recentBatches\[0\]\.outcome: expected one of ok, failed/);
    rejects(update([], { id: 'r1', state: 'paused' }), /update\.run\.state/);
  });

  it('bounds every array and string', () => {
    rejects(update(new Array(PROTOCOL_LIMITS.framesPerMessage + 1).fill({ runId: 'r', snapshot: snapshot() })), /update\.frames: expected an array of at most 3600/);
    const s = snapshot();
    s.models = new Array(PROTOCOL_LIMITS.models + 1).fill(s.models[0]);
    rejects(update([{ runId: 'r1', snapshot: s }]), /models: expected an array of at most 16/);
    rejects(update([{ runId: 'x'.repeat(501), snapshot: snapshot() }]), /runId: expected a string of at most 500 characters/);
  });

  it('keeps optional fields only when present and valid', () => {
    const { etaMs: _, ...noEta } = snapshot();
    const result = validateRunSnapshot(noEta);
    assert.ok(result.ok);
    assert.equal('etaMs' in result.value, false);
    const disabled = snapshot();
    disabled.models[0]!.disabledReason = 'AccessDeniedException';
    const checked = validateRunSnapshot(disabled);
    assert.ok(checked.ok);
    assert.equal(checked.value.models[0]!.disabledReason, 'AccessDeniedException');
    assert.equal(validateRunSnapshot({ ...snapshot(), etaMs: 'soon' }).ok, false);
  });

  it('validates the page’s messages on the host side', () => {
    assert.deepEqual(validatePageMessage({ type: 'ready', since: null }), { ok: true, value: { type: 'ready', since: null } });
    assert.deepEqual(validatePageMessage({ type: 'ready', since: 12 }), { ok: true, value: { type: 'ready', since: 12 } });
    assert.deepEqual(validatePageMessage({ type: 'protocol-error', detail: 'bad' }), { ok: true, value: { type: 'protocol-error', detail: 'bad' } });
    const bad = validatePageMessage({ type: 'ready', since: '12' });
    assert.equal(bad.ok, false);
    assert.equal(validatePageMessage({ type: 'update', run: null, frames: [] }).ok, false, 'the page may not send host messages');
    assert.equal(validatePageMessage({ type: 'protocol-error' }).ok, false);
  });
});
