import assert from 'node:assert/strict';
import { ConverseStreamCommand, ResourceNotFoundException, ValidationException, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';
import { LLAMA, NOVA_PRO, client, findingsRequest, type Protocol } from './helpers';

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

describe('emulator: ConverseStream decoded by the real AWS SDK', function () {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ config: defaultEmulatorConfig(), timeScale: 600 });
  });
  after(() => emulator.close());

  for (const protocol of ['http/1.1', 'h2'] as const satisfies Protocol[]) {
    it(`streams a toolUse call as input deltas over ${protocol}`, async () => {
      const sdk = client(emulator.url, protocol);
      try {
        const out = await sdk.send(new ConverseStreamCommand(findingsRequest(NOVA_PRO)));
        const events = await collect(out.stream);
        const kinds = events.map((e) => Object.keys(e).find((k) => (e as unknown as Record<string, unknown>)[k] !== undefined));
        assert.equal(kinds[0], 'messageStart');
        assert.equal(kinds[1], 'contentBlockStart');
        assert.deepEqual(kinds.slice(-3), ['contentBlockStop', 'messageStop', 'metadata']);
        assert.ok(kinds.filter((k) => k === 'contentBlockDelta').length > 1, 'several deltas');
        assert.equal(events[1]!.contentBlockStart?.start?.toolUse?.name, 'report_findings');
        const json = events.map((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? '').join('');
        const input = JSON.parse(json) as { findings: { ruleId: string }[] };
        assert.equal(input.findings.length, 6);
        const stop = events.find((e) => e.messageStop)!.messageStop!;
        assert.equal(stop.stopReason, 'tool_use');
        const meta = events.at(-1)!.metadata!;
        const record = emulator.requests().at(-1)!;
        assert.equal(record.operation, 'converse-stream');
        assert.equal(record.outcome, 'ok');
        assert.equal(meta.usage?.outputTokens, record.outputTokens);
        assert.equal(meta.usage?.inputTokens, record.inputTokens);
        assert.ok((meta.metrics?.latencyMs ?? 0) >= 700);
      } finally {
        sdk.destroy();
      }
    });
  }

  it('streams text deltas for a model that only accepts toolChoice auto', async () => {
    const sdk = client(emulator.url, 'h2');
    try {
      const out = await sdk.send(new ConverseStreamCommand(findingsRequest(LLAMA, { toolChoice: 'auto' })));
      const events = await collect(out.stream);
      const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
      assert.equal((JSON.parse(text) as { findings: unknown[] }).findings.length, 6);
      assert.equal(events.find((e) => e.messageStop)?.messageStop?.stopReason, 'end_turn');
    } finally {
      sdk.destroy();
    }
  });

  it('refuses a stream before it starts with the same exception classes as Converse', async () => {
    const sdk = client(emulator.url, 'h2');
    try {
      await assert.rejects(sdk.send(new ConverseStreamCommand(findingsRequest(LLAMA, { toolChoice: 'tool' }))), ValidationException);
      await assert.rejects(sdk.send(new ConverseStreamCommand(findingsRequest('no.such-model-v1:0'))), ResourceNotFoundException);
    } finally {
      sdk.destroy();
    }
  });

  it('stops at maxTokens with stopReason max_tokens and a cut JSON', async () => {
    const sdk = client(emulator.url, 'http/1.1');
    try {
      const out = await sdk.send(new ConverseStreamCommand(findingsRequest(NOVA_PRO, { maxTokens: 20 })));
      const events = await collect(out.stream);
      const json = events.map((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? '').join('');
      assert.throws(() => JSON.parse(json) as unknown);
      assert.equal(events.find((e) => e.messageStop)?.messageStop?.stopReason, 'max_tokens');
      assert.equal(events.at(-1)?.metadata?.usage?.outputTokens, 20);
    } finally {
      sdk.destroy();
    }
  });
});
