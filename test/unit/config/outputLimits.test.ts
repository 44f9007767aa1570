/** The output-limit table: what the defaults, the planner and the output-cap learner may ask for. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, KNOWN_MODELS, LLAMA_33_70B_ID, NOVA_PRO_ID } from '../../../src/core/config';
import { createEngine, createInterimScorer } from '../../../src/core/engine';
import { MemoryLogger } from '../../../src/core/logger';
import { knownOutputLimit, MODEL_OUTPUT_LIMITS, outputLimitWarning } from '../../../src/core/config/defaults';
import { initialOutputCap, maxOutputCap } from '../../../src/core/plan/estimate';
import { OutputCapLearner } from '../../../src/core/schedule/outputCap';
import { familyOf } from '../../../src/emulator/config';

describe('Bedrock output limits (config/defaults.ts)', () => {
  it('gives the model-card limits to every id form: in-Region, geo and other inference profiles', () => {
    const cases: [string, number | undefined][] = [
      ['amazon.nova-pro-v1:0', 5_000],
      ['us.amazon.nova-pro-v1:0', 5_000],
      ['eu.amazon.nova-lite-v1:0', 5_000],
      ['apac.amazon.nova-micro-v1:0', 5_000],
      ['meta.llama3-3-70b-instruct-v1:0', 4_096],
      ['us.meta.llama3-1-8b-instruct-v1:0', 4_096],
      ['meta.llama3-70b-instruct-v1:0', 4_096],
      // Not in the table: their cards say other things, and a guess would be worse than the default.
      ['us.amazon.nova-premier-v1:0', undefined],
      ['us.meta.llama4-maverick-17b-instruct-v1:0', undefined],
      ['acme.model-v1', undefined],
    ];
    assert.deepEqual(cases.map(([id]) => [id, knownOutputLimit(id)]), cases);
  });

  it('the well-known models default to exactly their limit, no more', () => {
    for (const model of Object.values(KNOWN_MODELS)) {
      assert.equal(model.maxOutputTokens, knownOutputLimit(model.id), model.id);
    }
    assert.equal(KNOWN_MODELS[NOVA_PRO_ID]!.maxOutputTokens, 5_000);
    assert.equal(KNOWN_MODELS[LLAMA_33_70B_ID]!.maxOutputTokens, 4_096);
  });

  it('clamps a configured maxOutputTokens above the limit, and says so once in a warning', () => {
    const nova = { ...KNOWN_MODELS[NOVA_PRO_ID]!, maxOutputTokens: 10_000 };
    assert.equal(maxOutputCap(nova), 5_000);
    assert.equal(initialOutputCap(1_000_000, nova), 5_000, 'even a huge input never asks for more than the limit');
    assert.match(outputLimitWarning(nova) ?? '', /maxOutputTokens 10000 is above Bedrock's limit for this model \(5000\); using 5000/);
    assert.equal(outputLimitWarning({ ...nova, maxOutputTokens: 3_000 }), undefined, 'a smaller cap is a choice, kept and not warned about');
    assert.equal(maxOutputCap({ ...nova, maxOutputTokens: 3_000 }), 3_000);
  });

  it('leaves models it does not know alone: their configured cap, or the 4,096 default', () => {
    const acme = { id: 'acme.model-v1', tokensPerMinute: 100_000, maxKbPerBatch: 100 };
    assert.equal(maxOutputCap({ ...acme, maxOutputTokens: 32_000 }), 32_000);
    assert.equal(outputLimitWarning({ ...acme, maxOutputTokens: 32_000 }), undefined);
    assert.equal(maxOutputCap(acme), 4_096);
  });

  it('the output-cap learner never grows past the limit, even after truncations and with a larger config', () => {
    const learner = new OutputCapLearner({ ...KNOWN_MODELS[LLAMA_33_70B_ID]!, maxOutputTokens: 8_192 });
    assert.equal(learner.ceiling, 4_096);
    let cap = learner.capFor(20_000);
    for (let i = 0; i < 6; i++) {
      learner.observe(20_000, cap, true);
      cap = learner.grow(cap);
      assert.ok(cap <= 4_096, `grew to ${cap}`);
    }
    assert.equal(cap, 4_096);
    assert.equal(learner.capFor(20_000), 4_096);
  });

  it('the emulator enforces the same limits for the same ids (one table would be shared if layers allowed)', () => {
    const ids = ['us.amazon.nova-pro-v1:0', 'us.amazon.nova-lite-v1:0', 'us.amazon.nova-micro-v1:0', 'us.meta.llama3-3-70b-instruct-v1:0'];
    assert.deepEqual(ids.map((id) => familyOf(id).maxOutputTokens), ids.map((id) => knownOutputLimit(id)));
    assert.ok(MODEL_OUTPUT_LIMITS.every((l) => l.maxOutputTokens > 0 && Number.isInteger(l.maxOutputTokens)));
    for (const id of ids) assert.ok(familyOf(id).defaultMaxTokens <= familyOf(id).maxOutputTokens, `${id}: the default cap must itself be accepted`);
  });

  it('the engine warns once about a configured cap above the limit, and stays silent for a fitting one', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'chorus-limits-'));
    try {
      const providerFor = () => ({ converse: () => Promise.reject(new Error('not called')) });
      const logger = new MemoryLogger();
      const models = [{ ...KNOWN_MODELS[NOVA_PRO_ID]!, maxOutputTokens: 10_000 }, { ...KNOWN_MODELS[LLAMA_33_70B_ID]! }];
      createEngine({ config: { ...defaultConfig(), models }, providerFor, scorer: createInterimScorer(), logger, cacheDir }).dispose();
      assert.deepEqual(logger.lines.filter((l) => /Bedrock's limit/.test(l)), [
        `warn ${NOVA_PRO_ID}: maxOutputTokens 10000 is above Bedrock's limit for this model (5000); using 5000.`,
      ]);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
