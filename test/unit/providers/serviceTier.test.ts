/** Service tiers: the tiers Chorus sends exist in the installed SDK, the setting is validated per lane, and priced. */
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../../src/core/config';
import { buildConverseInput, priceRatio, SERVICE_TIERS, serviceTierFor, serviceTierWarning } from '../../../src/core/providers';
import { sdkKnowsTier } from '../../../src/core/providers/serviceTier';

describe('providers: service tiers', () => {
  it('every tier Chorus may send is a value of the installed SDK’s ServiceTierType', () => {
    for (const tier of SERVICE_TIERS) assert.ok(sdkKnowsTier(tier), tier);
    assert.equal(sdkKnowsTier('turbo'), false);
  });

  it('reads a per-lane setting, off by default, and refuses an unknown tier with the field named', () => {
    const config = parseConfig({ models: [{ id: 'us.amazon.nova-pro-v1:0', serviceTier: { background: 'flex', interactive: 'priority' } }, { id: 'us.meta.llama3-3-70b-instruct-v1:0' }] }, 'c.json');
    const [pro, llama] = config.models;
    assert.equal(serviceTierFor(pro!, 'background'), 'flex');
    assert.equal(serviceTierFor(pro!, 'interactive'), 'priority');
    assert.equal(serviceTierFor(llama!, 'background'), undefined, 'off by default');
    assert.throws(() => parseConfig({ models: [{ id: 'us.amazon.nova-pro-v1:0', serviceTier: { background: 'reserved' } }] }, 'c.json'), (e: Error) => e instanceof ConfigError && /models\[0\]\.serviceTier\.background: expected "default", "priority" or "flex", got "reserved"/.test(e.message));
    assert.throws(() => parseConfig({ models: [{ id: 'us.amazon.nova-pro-v1:0', serviceTier: { batch: 'flex' } }] }, 'c.json'), /serviceTier\.batch/);
  });

  it('puts the tier into the Converse request only when one is asked, and prices it', () => {
    const base = { modelId: 'us.amazon.nova-pro-v1:0', system: 's', prompt: 'p', maxTokens: 10, toolChoice: 'tool' as const };
    assert.equal(buildConverseInput(base).serviceTier, undefined);
    assert.deepEqual(buildConverseInput({ ...base, serviceTier: 'flex' }).serviceTier, { type: 'flex' });
    assert.equal(priceRatio('flex'), 0.5);
    assert.equal(priceRatio('priority'), 1.75);
    assert.equal(priceRatio(undefined), 1);
    assert.equal(priceRatio('reserved'), 1, 'an unknown tier is priced as Standard');
  });

  it('warns about a tier on a model not known to serve it', () => {
    assert.match(serviceTierWarning({ id: 'us.meta.llama3-3-70b-instruct-v1:0', serviceTier: { background: 'flex' } })!, /flex \(background\) is not known to be served/);
    assert.equal(serviceTierWarning({ id: 'us.amazon.nova-pro-v1:0', serviceTier: { background: 'flex' } }), undefined);
    assert.equal(serviceTierWarning({ id: 'us.meta.llama3-3-70b-instruct-v1:0', serviceTier: { background: 'default' } }), undefined);
  });
});
