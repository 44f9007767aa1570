import assert from 'node:assert/strict';
import { ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { VirtualClock } from '../../../src/core/clock';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { renderBatchPrompt, type PromptFile } from '../../../src/core/contract';
import { readPrompt } from '../../../src/emulator/promptReader';
import { composeAnswer } from '../../../src/emulator/answer';
import { SAMPLE_FILES, client, findingsRequest, until } from './helpers';

const parsed = (file: PromptFile) => readPrompt(renderBatchPrompt([file])).files[0]!;

const MODEL = 'us.amazon.nova-pro-v1:0';
// tokenRatio 1: these tests are about time, and compose the answer themselves to know its length.
const config = { models: [{ id: MODEL, tokensPerMinute: 5_000, firstTokenMs: 1_000, outputTokensPerSecond: 50, tokenRatio: 1 }] };

describe('emulator: time runs on the emulator clock', function () {
  describe('on a virtual clock', () => {
    let clock: VirtualClock;
    let emulator: RunningEmulator;

    before(async () => {
      clock = new VirtualClock(1_000_000);
      emulator = await startEmulator({ config, clock });
    });
    after(() => emulator.close());

    it('answers exactly after first-token time + output tokens ÷ tokens per second', async () => {
      const sdk = client(emulator.url, 'http/1.1');
      // What the emulated model will say, hence how long it takes: 1 000 ms + tokens / 50 per s.
      const answer = composeAnswer({ files: SAMPLE_FILES.map(parsed), tool: { name: 'report_findings', listField: 'findings' }, maxTokens: 1_000, toolUseId: 'x' });
      const latency = 1_000 + (answer.outputTokens / 50) * 1_000;
      try {
        let settled = false;
        const call = sdk.send(new ConverseCommand(findingsRequest(MODEL, { maxTokens: 1_000 }))).finally(() => (settled = true));
        await until(() => emulator.stats().models[MODEL]!.inFlight === 1);
        await clock.advance(Math.ceil(latency) - 1);
        assert.equal(settled, false, 'no answer before the latency has passed');
        await clock.advance(1);
        const out = await call;
        assert.equal(out.usage!.outputTokens, answer.outputTokens);
        assert.equal(out.metrics!.latencyMs, Math.round(latency));
      } finally {
        sdk.destroy();
      }
    });

    it('frees the quota exactly 60 emulated seconds after a request started', async () => {
      const sdk = client(emulator.url, 'h2');
      try {
        await clock.advance(60_000); // forget the previous test's request
        const start = clock.now();
        const first = sdk.send(new ConverseCommand(findingsRequest(MODEL, { maxTokens: 4_000 })));
        await until(() => emulator.stats().models[MODEL]!.inFlight === 1);
        await clock.advance(20_000); // long enough for the answer, well inside the window
        await first;
        // The finished request was charged input + output, which still leaves no room for 4 000 more.
        await assert.rejects(sdk.send(new ConverseCommand(findingsRequest(MODEL, { maxTokens: 4_000 }))), ThrottlingException);
        await clock.advance(start + 60_000 - clock.now() - 1);
        await assert.rejects(sdk.send(new ConverseCommand(findingsRequest(MODEL, { maxTokens: 4_000 }))), ThrottlingException);
        await clock.advance(1);
        const again = sdk.send(new ConverseCommand(findingsRequest(MODEL, { maxTokens: 4_000 })));
        await until(() => emulator.stats().models[MODEL]!.inFlight === 1);
        await clock.advance(60_000);
        assert.equal((await again).stopReason, 'tool_use');
      } finally {
        sdk.destroy();
      }
    });
  });

  describe('on a scaled clock', () => {
    for (const scale of [60, 600]) {
      it(`keeps emulated latencies and the 60 s window at scale ${scale}`, async () => {
        const emulator = await startEmulator({ config, timeScale: scale });
        const sdk = client(emulator.url, 'http/1.1');
        try {
          const out = await sdk.send(new ConverseCommand(findingsRequest(MODEL, { maxTokens: 4_000 })));
          const model = 1_000 + (out.usage!.outputTokens! / 50) * 1_000;
          assert.ok(out.metrics!.latencyMs! >= Math.floor(model), 'emulated latency is the model latency');
          // The second call is refused if it lands within 60 emulated s of the first (it should,
          // unless the machine stalls for 60 s / scale); either way the outcome must match the time.
          const second = await sdk.send(new ConverseCommand(findingsRequest(MODEL, { maxTokens: 4_000 }))).then(() => 'ok', (e: Error) => e.name);
          const [first, secondRecord] = emulator.requests();
          const inWindow = secondRecord!.time - first!.time < 60_000;
          assert.equal(second, inWindow ? 'ThrottlingException' : 'ok');
          const last = inWindow ? first! : secondRecord!;
          await emulator.clock.sleep(last.time + 60_000 - emulator.clock.now());
          const again = await sdk.send(new ConverseCommand(findingsRequest(MODEL, { maxTokens: 4_000 })));
          assert.equal(again.stopReason, 'tool_use', 'admitted once the earlier request left the window');
          assert.ok(emulator.requests()[2]!.time - last.time >= 60_000);
        } finally {
          sdk.destroy();
          await emulator.close();
        }
      });
    }
  });
});
