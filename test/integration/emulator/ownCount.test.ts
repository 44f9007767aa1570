/**
 * The emulator counts tokens its own way (tokenRatio, on input and output) and can share its quotas
 * with another tenant (foreignTokensPerMinute), both checked through the real SDK client.
 */
import assert from 'node:assert/strict';
import { ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { estimateTokens } from '../../../src/core/contract';
import { estimatePromptTokens } from '../../../src/core/plan/estimate';
import { SYSTEM_PROMPT, renderBatchPrompt } from '../../../src/core/contract';
import { startEmulator, validateEmulatorConfig, type RunningEmulator } from '../../../src/emulator';
import { composeAnswer } from '../../../src/emulator/answer';
import { ForeignTenant, SLICE_MS } from '../../../src/emulator/foreignTenant';
import { QuotaWindow } from '../../../src/emulator/quota';
import { tokenizerOf } from '../../../src/emulator/tokenizer';
import { readPrompt } from '../../../src/emulator/promptReader';
import { client, findingsRequest, NOVA_PRO, SAMPLE_FILES } from './helpers';

describe('emulator: its own token count and another tenant', function () {
  describe('tokenRatio', () => {
    let emu: RunningEmulator;
    before(async () => {
      emu = await startEmulator({ config: { models: [{ id: NOVA_PRO, tokensPerMinute: 1_000_000, tokenRatio: 1.5 }] }, timeScale: 600 });
    });
    after(() => emu.close());

    it('counts input and output at the ratio, and reserves and charges what it counts', async () => {
      const sdk = client(emu.url, 'h2');
      try {
        const out = await sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO, { maxTokens: 2_000 })));
        const estimate = estimatePromptTokens(SYSTEM_PROMPT, renderBatchPrompt(SAMPLE_FILES));
        assert.equal(out.usage!.inputTokens, Math.ceil(estimate * 1.5));
        const answer = composeAnswer({ files: readPrompt(renderBatchPrompt(SAMPLE_FILES)).files, tool: { name: 'report_findings', listField: 'findings' }, maxTokens: 2_000, toolUseId: 'x' });
        const json = answer.blocks[0]!.kind === 'toolUse' ? answer.blocks[0]!.inputJson : '';
        assert.equal(out.usage!.outputTokens, Math.ceil(estimateTokens(json) * 1.5));
        const record = emu.requests().at(-1)!;
        assert.equal(record.reservedTokens, out.usage!.inputTokens + 2_000);
        assert.equal(record.chargedTokens, out.usage!.inputTokens + out.usage!.outputTokens);
      } finally {
        sdk.destroy();
      }
    });

    it('cuts at maxTokens as it counts them', () => {
      const files = readPrompt(renderBatchPrompt(SAMPLE_FILES)).files;
      const tokenizer = tokenizerOf({ countWith: 'estimate', tokenRatio: 2 });
      const answer = composeAnswer({ files, maxTokens: 20, toolUseId: 'x', tokenizer });
      assert.equal(answer.stopReason, 'max_tokens');
      const text = answer.blocks[0]!.kind === 'text' ? answer.blocks[0]!.text : '';
      assert.ok(tokenizer.count(text) <= 20, `${tokenizer.count(text)} tokens for a cap of 20`);
      assert.ok(text.length >= 30 && text.length < 40, `cut to ${text.length} characters (20 tokens × 4 / 2)`);
    });

    it('refuses a ratio no tokenizer has, and a tenant that takes the whole quota', () => {
      for (const tokenRatio of [0, 0.1, 5, -1, '1.2']) {
        assert.throws(() => validateEmulatorConfig({ models: [{ id: 'm', tokensPerMinute: 100, tokenRatio }] }), /models\[0\]\.tokenRatio should be a number in 0\.25\.\.4/);
      }
      for (const foreignTokensPerMinute of [-1, 100, 150, 'x']) {
        assert.throws(() => validateEmulatorConfig({ models: [{ id: 'm', tokensPerMinute: 100, foreignTokensPerMinute }] }), /models\[0\]\.foreignTokensPerMinute should be tokens per minute >= 0 and below tokensPerMinute/);
      }
      assert.doesNotThrow(() => validateEmulatorConfig({ models: [{ id: 'm', tokensPerMinute: 100, tokenRatio: 1.3, foreignTokensPerMinute: 25 }] }));
    });
  });

  describe('the default count: a real encoding', () => {
    let emu: RunningEmulator;
    before(async () => {
      emu = await startEmulator({ config: { models: [{ id: NOVA_PRO, tokensPerMinute: 1_000_000 }] }, timeScale: 600 });
    });
    after(() => emu.close());

    /** Reported input tokens ÷ the engine's estimate, for a batch of one file with this text. */
    async function ratioFor(text: string): Promise<number> {
      const files = [{ path: 'src/sample.js', text }];
      const sdk = client(emu.url, 'h2');
      try {
        const out = await sdk.send(new ConverseCommand({ ...findingsRequest(NOVA_PRO, { maxTokens: 500 }), messages: [{ role: 'user', content: [{ text: renderBatchPrompt(files) }] }] }));
        return out.usage!.inputTokens! / estimatePromptTokens(SYSTEM_PROMPT, renderBatchPrompt(files));
      } finally {
        sdk.destroy();
      }
    }

    it('depends on the content, as a real tokenizer does: minified code counts far more per byte than indented long words', async () => {
      const minified = 'function a(b,c){return b?c:d}var x=1,y=2;if(x<y){z(x,y)}'.repeat(120);
      const wordy = '                return the_configuration_value_for_the_current_environment\n'.repeat(60);
      // Beside the system prompt every request carries, which dilutes both.
      const [dense, sparse] = [await ratioFor(minified), await ratioFor(wordy)];
      assert.ok(dense > 1.4, `minified: ${dense.toFixed(2)}× the estimate`);
      assert.ok(sparse < 0.8, `indented long words: ${sparse.toFixed(2)}× the estimate`);
    });

    it('cuts an answer at maxTokens as the encoding counts them', () => {
      const tokenizer = tokenizerOf({ countWith: 'bpe', tokenRatio: 1.1 });
      const files = readPrompt(renderBatchPrompt(SAMPLE_FILES)).files;
      const answer = composeAnswer({ files, maxTokens: 20, toolUseId: 'x', tokenizer });
      assert.equal(answer.stopReason, 'max_tokens');
      const text = answer.blocks[0]!.kind === 'text' ? answer.blocks[0]!.text : '';
      assert.ok(text.length > 10 && tokenizer.count(text) <= 20, `${tokenizer.count(text)} tokens in ${text.length} characters for a cap of 20`);
    });
  });

  describe('foreignTokensPerMinute', () => {
    it('holds the same tokens in every 60 s window: its minute spread in slices', () => {
      const tenant = new ForeignTenant(24_000);
      for (const now of [0, 1, SLICE_MS - 1, SLICE_MS, 61_234, 3_600_000 + 17]) assert.equal(tenant.tokensInWindow(now), 24_000, `at ${now}`);
      assert.equal(new ForeignTenant(0).tokensInWindow(5), 0);
    });

    it('admission counts what the tenant holds: only the rest of the quota is ours', () => {
      const q = new QuotaWindow(1_000);
      q.foreign = new ForeignTenant(250);
      assert.ok(q.admit(0, 700).ok);
      assert.equal(q.admit(1, 100).ok, false, '700 + 250 + 100 > 1000');
      assert.ok(q.admit(2, 50).ok, '700 + 250 + 50 fits');
    });

    it('through the SDK: a request that fits the quota but not what the tenant left is throttled', async () => {
      const emu = await startEmulator({ config: { models: [{ id: NOVA_PRO, tokensPerMinute: 4_000, foreignTokensPerMinute: 2_000 }] }, timeScale: 600 });
      const sdk = client(emu.url, 'h2');
      try {
        await assert.rejects(sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO, { maxTokens: 2_500 }))), ThrottlingException);
        const ok = await sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO, { maxTokens: 1_000 })));
        assert.ok(ok.usage!.inputTokens! + 1_000 <= 2_000);
      } finally {
        sdk.destroy();
        await emu.close();
      }
    });
  });
});
