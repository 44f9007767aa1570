import assert from 'node:assert/strict';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { SYSTEM_PROMPT, renderBatchPrompt } from '../../../src/core/contract';
import { estimatePromptTokens } from '../../../src/core/plan/estimate';
import { buildConverseInput } from '../../../src/core/providers/bedrock';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';
import { encode } from 'gpt-tokenizer/encoding/cl100k_base';
import { FAMILY_BPE_SCALES } from '../../../src/emulator/tokenizer';
import { LLAMA, NOVA_PRO, SAMPLE_FILES, client } from './helpers';

const PROMPT = renderBatchPrompt(SAMPLE_FILES, 'Prefer security findings. Ünïcödé counts in bytes.');

async function inputTokensOf(emulator: RunningEmulator, model: string, toolChoice: 'tool' | 'auto'): Promise<{ reported: number; reserved: number }> {
  const sdk = client(emulator.url, 'h2');
  try {
    const out = await sdk.send(new ConverseCommand(buildConverseInput({ modelId: model, system: SYSTEM_PROMPT, prompt: PROMPT, maxTokens: 700, toolChoice })));
    return { reported: out.usage!.inputTokens!, reserved: emulator.requests().at(-1)!.reservedTokens };
  } finally {
    sdk.destroy();
  }
}

/**
 * The engine reserves what it estimates; the emulator charges what its model's tokenizer counts. With
 * `tokenRatio: 1` the two agree exactly (so they count the same parts: system, prompt, tool spec);
 * by default each family counts its own way (tokenizer.ts), which the engine must learn.
 */
describe('emulator: counts input tokens its own way, on the parts the engine estimates', function () {
  const models = [[NOVA_PRO, 'tool'], [LLAMA, 'auto']] as const;
  let exact: RunningEmulator;
  let own: RunningEmulator;
  before(async () => {
    const base = defaultEmulatorConfig();
    exact = await startEmulator({ config: { ...base, models: base.models.map((m) => ({ ...m, tokenRatio: 1 })) }, timeScale: 600 });
    own = await startEmulator({ config: base, timeScale: 600 });
  });
  after(async () => {
    await exact.close();
    await own.close();
  });

  for (const [model, toolChoice] of models) {
    it(`tokenRatio 1: input tokens of a provider request to ${model} equal the engine's estimate`, async () => {
      const { reported, reserved } = await inputTokensOf(exact, model, toolChoice);
      assert.equal(reported, estimatePromptTokens(SYSTEM_PROMPT, PROMPT));
      assert.equal(reserved, estimatePromptTokens(SYSTEM_PROMPT, PROMPT) + 700);
    });
  }

  it('by default each family counts with a real encoding (cl100k × its scale), not with the estimate', async () => {
    const estimate = estimatePromptTokens(SYSTEM_PROMPT, PROMPT);
    const nova = await inputTokensOf(own, NOVA_PRO, 'tool');
    const llama = await inputTokensOf(own, LLAMA, 'auto');
    // What the encoding itself says of the same text (plus the framing and the tool spec the
    // emulator counts): the emulator's line-by-line count is within 2 % of it.
    const bpe = encode(`${SYSTEM_PROMPT}\n${PROMPT}`).length;
    for (const [name, got, scale] of [['nova', nova.reported, FAMILY_BPE_SCALES['nova-pro']], ['llama', llama.reported, FAMILY_BPE_SCALES.llama3]] as const) {
      assert.ok(got >= bpe * scale * 0.98, `${name}: ${got} tokens, the encoding alone ${bpe} × ${scale}`);
      assert.ok(got <= (bpe + 600) * scale * 1.02, `${name}: ${got} tokens (the tool spec adds a few hundred), the encoding ${bpe} × ${scale}`);
    }
    assert.notEqual(llama.reported, estimate, 'not the engine\'s estimate');
    assert.ok(nova.reported > llama.reported, 'Nova counts more than Llama 3 on the same text');
    assert.equal(llama.reserved, llama.reported + 700);
  });
});
