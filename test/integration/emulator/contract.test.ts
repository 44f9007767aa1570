import assert from 'node:assert/strict';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { SYSTEM_PROMPT, renderBatchPrompt } from '../../../src/core/contract';
import { estimatePromptTokens } from '../../../src/core/plan/estimate';
import { buildConverseInput } from '../../../src/core/providers/bedrock';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';
import { LLAMA, NOVA_PRO, SAMPLE_FILES, client } from './helpers';

/**
 * The engine reserves what it estimates; the emulator charges what it counts. They share one
 * function (contract/tokens.ts), and this checks they also agree on what is counted.
 */
describe('emulator: charges exactly what the engine estimates', function () {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ config: defaultEmulatorConfig(), timeScale: 600 });
  });
  after(() => emulator.close());

  for (const [model, toolChoice] of [[NOVA_PRO, 'tool'], [LLAMA, 'auto']] as const) {
    it(`input tokens of a provider request to ${model}`, async () => {
      const prompt = renderBatchPrompt(SAMPLE_FILES, 'Prefer security findings. Ünïcödé counts in bytes.');
      const sdk = client(emulator.url, 'h2');
      try {
        const out = await sdk.send(new ConverseCommand(buildConverseInput({ modelId: model, system: SYSTEM_PROMPT, prompt, maxTokens: 700, toolChoice })));
        assert.equal(out.usage?.inputTokens, estimatePromptTokens(SYSTEM_PROMPT, prompt));
        assert.equal(emulator.requests().at(-1)!.reservedTokens, estimatePromptTokens(SYSTEM_PROMPT, prompt) + 700);
      } finally {
        sdk.destroy();
      }
    });
  }
});
