/**
 * A run's tokens per minute from the account (src/core/quotas/resolve.ts): models whose config
 * left tokensPerMinute out take it, a configured one above it is lowered to it; one read per destination while cached; a failed read keeps the
 * defaults with one warning; quota names are parsed by scope.
 */
import assert from 'node:assert/strict';
import { defaultConfig, parseConfig } from '../../../src/core/config';
import { matchAccountQuotas, type AccountModelQuota } from '../../../src/core/quotas/account';
import { inferenceScope, parseQuotaName, quotaNamesFor } from '../../../src/core/quotas/quotaNames';
import { CACHE_MS, withAccountQuotas } from '../../../src/core/quotas/resolve';
import { writeAccountQuotas } from '../../../src/core/quotas/write';

const PRO = 'us.amazon.nova-pro-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';

function account(values: Record<string, number>): AccountModelQuota[] {
  return Object.entries(values).map(([modelId, value]) => ({ modelId, scope: inferenceScope(modelId), tokensPerMinute: { value, name: `x ${modelId}` } }));
}

describe('quotas: account tokens per minute for a run', () => {
  it('replaces only the tokensPerMinute the config left out', async () => {
    const config = parseConfig({ models: [{ id: PRO }, { id: LLAMA, tokensPerMinute: 12_345 }] }, 'test');
    const warnings: string[] = [];
    const asked: string[][] = [];
    const resolved = await withAccountQuotas(config, {
      warn: (m) => warnings.push(m), cache: new Map(),
      read: (_o, ids) => {
        asked.push([...ids]);
        return Promise.resolve(account({ [PRO]: 42_000 }));
      },
    });
    assert.deepEqual(asked, [[PRO, LLAMA]], 'every model is read: a configured one is checked against its applied quota');
    assert.equal(resolved.models[0]!.tokensPerMinute, 42_000);
    assert.equal(resolved.models[1]!.tokensPerMinute, 12_345);
    assert.deepEqual(warnings, []);
  });

  it('lowers a configured quota above the account’s applied one, with one warning; keeps one below it', async () => {
    const config = parseConfig({ models: [{ id: PRO, tokensPerMinute: 200_000 }, { id: LLAMA, tokensPerMinute: 10_000 }] }, 'test');
    const warnings: string[] = [];
    const resolved = await withAccountQuotas(config, { warn: (m) => warnings.push(m), cache: new Map(), read: () => Promise.resolve(account({ [PRO]: 100_000, [LLAMA]: 60_000 })) });
    assert.equal(resolved.models[0]!.tokensPerMinute, 100_000, 'Bedrock refuses above the applied quota whatever the config says');
    assert.equal(resolved.models[1]!.tokensPerMinute, 10_000, 'a share below the account’s is the user’s choice');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /above the account's applied quota for us\.amazon\.nova-pro-v1:0 \(configured 200,000, applied 100,000\)/);
  });

  it('a failed read is silent when every model is configured (the read was only a check)', async () => {
    const warnings: string[] = [];
    const config = parseConfig({ models: [{ id: PRO, tokensPerMinute: 50_000 }] }, 'test');
    const resolved = await withAccountQuotas(config, { warn: (m) => warnings.push(m), cache: new Map(), read: () => Promise.reject(new Error('not authorized')) });
    assert.equal(resolved.models[0]!.tokensPerMinute, 50_000);
    assert.deepEqual(warnings, []);
  });

  it('reads once per destination while cached, again after CACHE_MS', async () => {
    let reads = 0;
    let now = 0;
    const cache = new Map();
    const options = { warn: () => undefined, cache, now: () => now, read: () => (reads++, Promise.resolve(account({ [PRO]: 1_000, [LLAMA]: 2_000 }))) };
    await withAccountQuotas(defaultConfig(), options);
    await withAccountQuotas(defaultConfig(), options);
    assert.equal(reads, 1);
    await withAccountQuotas({ ...defaultConfig(), region: 'eu-west-1' }, options);
    assert.equal(reads, 2, 'another region is another destination');
    now = CACHE_MS + 1;
    await withAccountQuotas(defaultConfig(), options);
    assert.equal(reads, 3);
  });

  it('keeps the defaults and warns once when the read fails', async () => {
    const warnings: string[] = [];
    const cache = new Map();
    const options = { warn: (m: string) => warnings.push(m), cache, read: () => Promise.reject(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' })) };
    const first = await withAccountQuotas(defaultConfig(), options);
    const second = await withAccountQuotas(defaultConfig(), options);
    assert.equal(first.models[0]!.tokensPerMinute, defaultConfig().models[0]!.tokensPerMinute);
    assert.equal(second.models[1]!.tokensPerMinute, defaultConfig().models[1]!.tokensPerMinute);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /AccessDeniedException: not authorized.*known tokens-per-minute defaults/);
  });

  it('a quota of 0 or a missing one keeps the default, named in one warning', async () => {
    const warnings: string[] = [];
    const resolved = await withAccountQuotas(defaultConfig(), { warn: (m) => warnings.push(m), cache: new Map(), read: () => Promise.resolve(account({ [PRO]: 0 })) });
    assert.equal(resolved.models[0]!.tokensPerMinute, defaultConfig().models[0]!.tokensPerMinute);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /us\.amazon\.nova-pro-v1:0 \(the account quota is 0\), us\.meta\.llama3-3-70b-instruct-v1:0/);
  });
});

describe('quotas: account requests per minute', () => {
  const listed = (name: string, value: number) => ({ QuotaName: name, QuotaCode: `L-${value}`, Value: value });

  it('matches the requests-per-minute quota of the id\'s scope beside its tokens', () => {
    const [pro, llama] = matchAccountQuotas([PRO, 'meta.llama3-3-70b-instruct-v1:0'], [
      listed('Cross-region model inference tokens per minute for Amazon Nova Pro', 100_000),
      listed('Cross-region model inference requests per minute for Amazon Nova Pro', 20),
      listed('On-demand model inference requests per minute for Amazon Nova Pro', 99),
      listed('On-demand model inference tokens per minute for Meta Llama 3.3 70B Instruct', 60_000),
    ]);
    assert.equal(pro!.requestsPerMinute?.value, 20, 'the cross-region one for a us. profile, not the on-demand one');
    assert.equal(pro!.tokensPerMinute?.value, 100_000);
    assert.equal(llama!.requestsPerMinute, undefined, 'none listed: none made up');
  });

  it('a run takes it where the config left requestsPerMinute out, never over a configured one, never 0', async () => {
    const config = parseConfig({ models: [{ id: PRO }, { id: LLAMA, requestsPerMinute: 7 }, { id: 'us.amazon.nova-lite-v1:0' }] }, 'test');
    const quotas: AccountModelQuota[] = [
      { modelId: PRO, scope: 'cross-region', tokensPerMinute: { value: 50_000, name: 't' }, requestsPerMinute: { value: 20, name: 'r' } },
      { modelId: LLAMA, scope: 'cross-region', tokensPerMinute: { value: 40_000, name: 't' }, requestsPerMinute: { value: 30, name: 'r' } },
      { modelId: 'us.amazon.nova-lite-v1:0', scope: 'cross-region', tokensPerMinute: { value: 30_000, name: 't' }, requestsPerMinute: { value: 0, name: 'r' } },
    ];
    const resolved = await withAccountQuotas(config, { warn: () => undefined, cache: new Map(), read: () => Promise.resolve(quotas) });
    assert.deepEqual(resolved.models.map((m) => m.requestsPerMinute), [20, 7, undefined]);
  });
});

describe('quotas: names', () => {
  it('reads the old and the current wording, by scope, and ignores other quotas', () => {
    assert.deepEqual(parseQuotaName('On-demand model inference tokens per minute for Amazon Nova Pro'), { scope: 'on-demand', metric: 'tokensPerMinute', model: 'Amazon Nova Pro' });
    assert.deepEqual(parseQuotaName('Cross-Region InvokeModel tokens per minute for Meta Llama 3.3 70B Instruct'), { scope: 'cross-region', metric: 'tokensPerMinute', model: 'Meta Llama 3.3 70B Instruct' });
    assert.deepEqual(parseQuotaName('Global cross-region model inference tokens per day for Anthropic Claude Sonnet 4.5 V1'), { scope: 'global', metric: 'tokensPerDay', model: 'Anthropic Claude Sonnet 4.5 V1' });
    assert.deepEqual(parseQuotaName('Model invocation max tokens per day for Amazon Nova Lite'), { scope: 'any', metric: 'tokensPerDay', model: 'Amazon Nova Lite' });
    assert.deepEqual(parseQuotaName('Model invocation max tokens per day for Anthropic Claude Sonnet 4.5 V1 (doubled for cross-region calls)'), { scope: 'any', metric: 'tokensPerDay', model: 'Anthropic Claude Sonnet 4.5 V1' });
    assert.equal(parseQuotaName('On-Demand, latency-optimized model inference tokens per minute for Amazon Nova Pro V1'), undefined);
    assert.deepEqual(parseQuotaName('On-demand model inference requests per minute for Amazon Nova Pro'), { scope: 'on-demand', metric: 'requestsPerMinute', model: 'Amazon Nova Pro' });
    assert.deepEqual(parseQuotaName('Cross-region InvokeModel requests per minute for Meta Llama 3.3 70B Instruct'), { scope: 'cross-region', metric: 'requestsPerMinute', model: 'Meta Llama 3.3 70B Instruct' });
    assert.equal(parseQuotaName('On-demand model inference requests per day for Amazon Nova Pro'), undefined);
    assert.equal(parseQuotaName('Cross-Model Max Tokens Per Day'), undefined);
  });

  it('scopes ids by their profile prefix', () => {
    assert.equal(inferenceScope('amazon.nova-pro-v1:0'), 'on-demand');
    assert.equal(inferenceScope('eu.amazon.nova-pro-v1:0'), 'cross-region');
    assert.equal(inferenceScope('apac.amazon.nova-pro-v1:0'), 'cross-region');
    assert.equal(inferenceScope('global.anthropic.claude-sonnet-4-5-20250929-v1:0'), 'global');
    assert.equal(quotaNamesFor('global.anthropic.claude-sonnet-4-5-20250929-v1:0')?.tokensPerDay, 'Global cross-region model inference tokens per day for Anthropic Claude Sonnet 4.5 V1');
    assert.equal(quotaNamesFor('unknown.model-v1:0'), undefined);
  });

  it('writes account values into a models array without touching other entries or fields', () => {
    const { models, changed } = writeAccountQuotas([{ id: PRO, label: 'P', tokensPerMinute: 1 }, { id: 'other', tokensPerMinute: 5, maxKbPerBatch: 10 }], [...account({ [PRO]: 9, [LLAMA]: 7 }), { modelId: 'zero', scope: 'on-demand', tokensPerMinute: { value: 0, name: 'z' } }]);
    assert.deepEqual(models, [{ id: PRO, label: 'P', tokensPerMinute: 9 }, { id: 'other', tokensPerMinute: 5, maxKbPerBatch: 10 }, { id: LLAMA, tokensPerMinute: 7 }]);
    assert.deepEqual(changed, [PRO, LLAMA]);
    assert.throws(() => writeAccountQuotas({ id: PRO }, []), /expected an array/);
  });
});
