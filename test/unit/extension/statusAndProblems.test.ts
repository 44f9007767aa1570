import { strict as assert } from 'node:assert';
import type { ModelSnapshot, RunSnapshot } from '../../../src/core/metrics/types';
import { consentPrompt, consentState, destinationOf } from '../../../src/extension/consent/consentRecord';
import { ConfigError } from '../../../src/core/config/parse';
import { CredentialsError } from '../../../src/core/engine/credentials';
import { ProviderError } from '../../../src/core/providers/provider';
import { allModelsFailed, problemOf, problemOfError, ProblemGate } from '../../../src/extension/notify/problems';
import { formatStatus, formatThroughput } from '../../../src/extension/status/formatStatus';

function model(over: Partial<ModelSnapshot>): ModelSnapshot {
  return {
    id: 'm', label: 'M', quotaTpm: 100, effectiveTpm: 100, requests: 0, inputTokens: 0, outputTokens: 0, throttles: 0, errors: 0, retries: 0,
    fallbacksIn: 0, fallbacksOut: 0, spilloversIn: 0, spilloversOut: 0, inFlight: 0, queued: { interactive: 0, background: 0 },
    latencyP50Ms: 0, latencyP95Ms: 0, costUsd: 0, tokensPerMinute: 0, requestsPerMinute: 0, ...over,
  };
}
const snap = (models: ModelSnapshot[], filesDone = 0, filesTotal = 0): RunSnapshot => ({ at: 0, filesTotal, filesDone, models, utilization: 0, recentBatches: [] });
const base = { trusted: true, paused: false, waiting: 0, activeRuns: 0 };

describe('formatStatus', () => {
  it('is idle with nothing to do', () => {
    const view = formatStatus({ ...base, snapshots: [snap([model({})])] });
    assert.equal(view.state, 'idle');
    assert.equal(view.text, '$(check) Chorus');
  });

  it('shows per-model counts while running, summed across folders', () => {
    const a = snap([model({ id: 'p', label: 'Nova Pro', inFlight: 2, queued: { interactive: 1, background: 3 } })], 4, 10);
    const b = snap([model({ id: 'p', label: 'Nova Pro', inFlight: 1, queued: { interactive: 0, background: 0 } }), model({ id: 'l', label: 'Llama', inFlight: 1 })], 1, 5);
    const view = formatStatus({ ...base, activeRuns: 2, snapshots: [a, b] });
    assert.equal(view.state, 'running');
    assert.equal(view.text, '$(sync~spin) Chorus 5/15 · Nova Pro 7 · Llama 1');
  });

  it('counts files waiting in the coalescer as queued', () => {
    const view = formatStatus({ ...base, waiting: 12, snapshots: [] });
    assert.equal(view.state, 'queued');
    assert.equal(view.text, '$(clock) Chorus 12 queued');
  });

  it('warns, says paused, and says restricted when untrusted', () => {
    assert.equal(formatStatus({ ...base, snapshots: [], warning: 'Llama throttled' }).warning, true);
    assert.match(formatStatus({ ...base, snapshots: [], warning: 'Llama throttled' }).tooltip, /Llama throttled/);
    assert.equal(formatStatus({ ...base, paused: true, snapshots: [] }).state, 'paused');
    assert.equal(formatStatus({ ...base, trusted: false, snapshots: [] }).state, 'restricted');
  });

  it('formats per-model throughput for the progress notification', () => {
    assert.equal(formatThroughput([model({ label: 'Nova Pro', tokensPerMinute: 42_300 }), model({ label: 'Idle' })]), 'Nova Pro 42k tok/min');
  });
});

describe('problems', () => {
  it('raises problems from outcome codes, not from messages', () => {
    assert.equal(problemOf('credentials-expired'), 'credentials');
    assert.equal(problemOf('credentials-missing'), 'credentials');
    assert.equal(problemOf('access-denied'), 'access-denied');
    assert.equal(problemOf('throttled'), undefined);
    assert.equal(problemOf(undefined), undefined);
  });

  it('raises problems from thrown errors by type and classified kind', () => {
    const sdk = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    assert.equal(problemOfError(sdk), 'credentials');
    assert.equal(problemOfError(new CredentialsError('no usable AWS credentials')), 'credentials');
    assert.equal(problemOfError(new ConfigError('chorus.config.json', 'models[0].id', 'a string', 3)), 'config');
    assert.equal(problemOfError(new ProviderError('model-unavailable', 'AccessDeniedException', 'denied', 403)), 'access-denied');
    // A message that merely mentions credentials says nothing: only the error's type does.
    assert.equal(problemOfError(new Error('ThrottlingException: the credentials cache is busy')), undefined);
  });

  it('admits one notification per problem until reset', () => {
    const gate = new ProblemGate();
    assert.equal(gate.admit('credentials'), true);
    assert.equal(gate.admit('credentials'), false);
    assert.equal(gate.admit('access-denied'), true);
    gate.reset();
    assert.equal(gate.admit('credentials'), true);
  });

  it('calls it "every model failed" only when nothing sent succeeded', () => {
    assert.equal(allModelsFailed([{ status: 'failed' }, { status: 'skipped' }]), true);
    assert.equal(allModelsFailed([{ status: 'failed' }, { status: 'analyzed' }]), false);
    assert.equal(allModelsFailed([{ status: 'skipped' }]), false);
  });
});

describe('consent', () => {
  it('is remembered per destination: a new endpoint asks again', () => {
    const record = { destination: destinationOf({ region: 'us-east-1' }), granted: true, at: 'x' };
    assert.equal(consentState(record, 'Amazon Bedrock in us-east-1'), 'granted');
    assert.equal(consentState(record, destinationOf({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' })), 'unknown');
    assert.equal(consentState({ ...record, granted: false }, record.destination), 'declined');
    assert.equal(consentState(undefined, record.destination), 'unknown');
  });

  it('says what is sent where', () => {
    const text = consentPrompt('shop', { region: 'us-east-1', models: [{ id: 'a', label: 'Nova Pro', tokensPerMinute: 1, maxKbPerBatch: 1 }] });
    assert.match(text, /"shop"/);
    assert.match(text, /Amazon Bedrock in us-east-1/);
    assert.match(text, /Nova Pro/);
  });
});
