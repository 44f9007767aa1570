/**
 * The emulator's Service Quotas (ListServiceQuotas, AWS JSON 1.1) through the real
 * @aws-sdk/client-service-quotas client, and Chorus's reader (src/core/quotas) on top of it:
 * paging, matching by scope, a model the account lists no quota for, access denied, SigV4 scope.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AccessDeniedException, ListServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { listBedrockQuotas, matchAccountQuotas, readAccountQuotas } from '../../../src/core/quotas/account';
import { startEmulator, validateEmulatorConfig, type EmulatorConfig, type RunningEmulator } from '../../../src/emulator';

const credentials = { accessKeyId: `AKID${randomBytes(6).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(20).toString('base64') };

const config: EmulatorConfig = {
  credentials,
  models: [
    { id: 'us.amazon.nova-pro-v1:0', tokensPerMinute: 250_000, tokensPerDay: 9_000_000 },
    { id: 'amazon.nova-lite-v1:0', tokensPerMinute: 80_000, requestsPerMinute: 200 },
    { id: 'us.meta.llama3-3-70b-instruct-v1:0', tokensPerMinute: 60_000, serviceQuota: 'unlisted' },
    { id: 'custom.unknown-v1:0', tokensPerMinute: 10_000 },
  ],
  serviceQuotas: { pageSize: 3 },
};

function quotasClient(endpoint: string, creds = credentials): ServiceQuotasClient {
  return new ServiceQuotasClient({ endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
}

describe('emulator: Service Quotas', () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ config, timeScale: 1 });
  });
  after(() => emulator.close());

  it('answers ListServiceQuotas in pages of the configured size, with the real response shape', async () => {
    const client = quotasClient(emulator.url);
    const first = await client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock' }));
    assert.equal(first.Quotas?.length, 3);
    assert.ok(first.NextToken, 'a first page of 3 has a NextToken');
    const q = first.Quotas[0]!;
    assert.equal(q.ServiceCode, 'bedrock');
    assert.match(q.QuotaCode!, /^L-[0-9A-F]{8}$/);
    assert.match(q.QuotaArn!, /^arn:aws:servicequotas:us-east-1:\d{12}:bedrock\/L-/);
    assert.equal(typeof q.Value, 'number');
    assert.equal(q.GlobalQuota, false);
    const all = await listBedrockQuotas(client);
    // As an account lists them, every scope of a model: nova-pro (us.): cross-region TPM + on-demand TPM
    // + TPD; nova-lite (in-Region): on-demand TPM + RPM + cross-region TPM + TPD; llama unlisted; the
    // unknown model has no name; 3 unrelated.
    assert.equal(all.length, 3 + 4 + 3);
    assert.ok(all.some((x) => x.QuotaName === 'Cross-region model inference tokens per minute for Amazon Nova Pro' && x.QuotaCode === 'L-C0326783'), 'the real code where a source shows it');
    assert.equal(new Set(all.map((x) => x.QuotaCode)).size, all.length, 'pages neither repeat nor skip');
    client.destroy();
  });

  it('matches each model to the quota of its scope; the unlisted and unknown models say why they have none', async () => {
    const ids = config.models.map((m) => m.id);
    const quotas = await readAccountQuotas({ region: 'us-east-1', endpoint: emulator.url, credentials }, ids);
    const [pro, lite, llama, unknown] = quotas;
    assert.equal(pro!.scope, 'cross-region');
    assert.equal(pro!.tokensPerMinute?.value, 250_000);
    assert.equal(pro!.tokensPerMinute?.name, 'Cross-region model inference tokens per minute for Amazon Nova Pro');
    assert.equal(pro!.tokensPerDay?.value, 9_000_000);
    assert.equal(lite!.scope, 'on-demand');
    assert.equal(lite!.tokensPerMinute?.value, 80_000);
    assert.equal(lite!.tokensPerDay?.value, 80_000 * 1_440, 'the default daily quota is TPM × 1,440');
    assert.equal(lite!.requestsPerMinute?.value, 200, 'the requests-per-minute quota, read by its name');
    assert.equal(lite!.requestsPerMinute?.name, 'On-demand model inference requests per minute for Amazon Nova Lite');
    assert.equal(pro!.requestsPerMinute, undefined, 'none listed for a model without one');
    assert.equal(llama!.tokensPerMinute, undefined);
    assert.match(llama!.missing!, /lists no cross-region tokens-per-minute quota for Meta Llama 3\.3 70B Instruct/);
    assert.match(unknown!.missing!, /does not know the Service Quotas name of custom\.unknown-v1:0/);
  });

  it('a cross-region quota is not taken for an on-demand id of the same model', () => {
    const listed = [{ QuotaName: 'Cross-region model inference tokens per minute for Amazon Nova Pro', QuotaCode: 'L-C0326783', Value: 1 }];
    const [onDemand] = matchAccountQuotas(['amazon.nova-pro-v1:0'], listed);
    assert.equal(onDemand!.tokensPerMinute, undefined);
  });

  it('refuses a bad NextToken and another service code with the JSON 1.1 error shape', async () => {
    const client = quotasClient(emulator.url);
    await assert.rejects(client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', NextToken: 'bm9wZQ==' })), { name: 'InvalidPaginationTokenException' });
    await assert.rejects(client.send(new ListServiceQuotasCommand({ ServiceCode: 'ec2' })), { name: 'NoSuchResourceException' });
    client.destroy();
  });

  it('verifies the SigV4 signature with the servicequotas scope', async () => {
    const client = quotasClient(emulator.url, { ...credentials, secretAccessKey: randomBytes(20).toString('base64') });
    await assert.rejects(client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock' })), { name: 'InvalidSignatureException' });
    client.destroy();
  });

  it('refuses a bad Service Quotas or service-tier config with the field named', () => {
    const model = { id: 'm', tokensPerMinute: 1 };
    assert.throws(() => validateEmulatorConfig({ models: [model], serviceQuotas: { pageSize: 0 } }), /serviceQuotas\.pageSize should be an integer in 1\.\.100, got 0/);
    assert.throws(() => validateEmulatorConfig({ models: [model], serviceQuotas: { access: 'open' } }), /serviceQuotas\.access/);
    assert.throws(() => validateEmulatorConfig({ models: [{ ...model, serviceQuota: 'hidden' }] }), /models\[0\]\.serviceQuota/);
    assert.throws(() => validateEmulatorConfig({ models: [{ ...model, serviceTiers: ['turbo'] }] }), /models\[0\]\.serviceTiers/);
  });

  it('answers AccessDeniedException when the account may not list quotas', async () => {
    const denied = await startEmulator({ config: { ...config, serviceQuotas: { access: 'denied' } }, timeScale: 1 });
    try {
      const client = quotasClient(denied.url);
      const error = await client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock' })).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof AccessDeniedException, `expected the SDK's AccessDeniedException, got ${String(error)}`);
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.match(error.message, /not authorized to perform: servicequotas:ListServiceQuotas/);
      client.destroy();
    } finally {
      await denied.close();
    }
  });

  it("the engine reads every quota as AWS spells it (the emulator's own table), in each scope", async () => {
    const ids = [
      'amazon.nova-pro-v1:0', 'us.amazon.nova-lite-v1:0', 'eu.amazon.nova-micro-v1:0', 'us.meta.llama3-3-70b-instruct-v1:0',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'global.amazon.nova-2-lite-v1:0',
    ];
    const models = ids.map((id, i) => ({ id, tokensPerMinute: 10_000 * (i + 1), requestsPerMinute: 10 + i, tokensPerDay: 1_000_000 * (i + 1) }));
    const own = await startEmulator({ config: { credentials, models }, timeScale: 1 });
    try {
      const read = await readAccountQuotas({ region: 'us-east-1', endpoint: own.url, credentials }, ids);
      const got = read.map((q) => [q.modelId, q.tokensPerMinute?.value, q.requestsPerMinute?.value, q.tokensPerDay?.value, q.missing]);
      assert.deepEqual(got, models.map((m) => [m.id, m.tokensPerMinute, m.requestsPerMinute, m.tokensPerDay, undefined]));
    } finally {
      await own.close();
    }
  });
});
