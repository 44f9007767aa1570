/**
 * A measurement, not a test: does HTTP/2 help the Bedrock provider against the emulator? Runs the
 * same bursts of concurrent Converse calls over HTTP/1.1 (socket pool sized to the burst) and over
 * HTTP/2 (one multiplexed session), and prints wall time per burst and the gap between `onSent` and
 * the emulator having the whole request (what the scheduler's quota stamp depends on).
 *
 *   npx tsx test/integration/provider/measureHttp2.ts [calls=64] [bursts=20]
 */
import { renderBatchPrompt, SYSTEM_PROMPT } from '../../../src/core/contract';
import { createBedrockProviders, socketsForModels } from '../../../src/core/providers';
import { startEmulator } from '../../../src/emulator';

const NOVA = 'us.amazon.nova-pro-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';
const calls = Number(process.argv[2] ?? 64);
const bursts = Number(process.argv[3] ?? 20);
const files = Array.from({ length: 8 }, (_, i) => ({ path: `src/f${i}.ts`, text: `export const v${i} = ${i};\nif (v${i} == 1) eval("x");\n`.repeat(40) }));
const prompt = renderBatchPrompt(files);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  // A time scale of 1,000 makes the emulated latencies (≈1–2 s) a few real ms: transport dominates.
  const emulator = await startEmulator({ config: { models: [{ id: NOVA, tokensPerMinute: 1e9 }, { id: LLAMA, tokensPerMinute: 1e9, toolChoice: ['auto'] }] }, timeScale: 1000 });
  const credentials = { accessKeyId: 'AKIDMEASURE', secretAccessKey: 'measure' };
  try {
    for (const http2 of [false, true, false, true, false, true]) {
      const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials, http2, maxSockets: socketsForModels([calls]), requestTimeoutMs: 60_000_000 });
      const wall: number[] = [];
      const gaps: number[] = [];
      for (let b = 0; b < bursts; b++) {
        const start = performance.now();
        const seqBefore = emulator.requests().at(-1)?.seq ?? 0;
        const sentAt: number[] = [];
        await Promise.all(Array.from({ length: calls }, (_, i) => {
          const modelId = i % 2 === 0 ? NOVA : LLAMA;
          return providerFor(modelId).converse(
            { modelId, system: SYSTEM_PROMPT, prompt, maxTokens: 1000, toolChoice: modelId === NOVA ? 'tool' : 'auto', onSent: () => sentAt.push(emulator.clock.now()) },
            new AbortController().signal,
          );
        }));
        wall.push(performance.now() - start);
        // Emulated ms → real ms at this scale; record times and onSent stamps share the emulator's clock.
        const arrived = emulator.requests().filter((r) => r.seq > seqBefore).map((r) => r.time).sort((a, b) => a - b);
        sentAt.sort((a, b) => a - b);
        arrived.forEach((t, i) => gaps.push((t - sentAt[i]!) / 1000));
      }
      const label = http2 ? 'HTTP/2  ' : 'HTTP/1.1';
      console.log(`${label} ${calls} calls × ${bursts} bursts: burst wall ms p50 ${quantile(wall, 0.5).toFixed(1)} p90 ${quantile(wall, 0.9).toFixed(1)}; onSent→arrival real ms p50 ${quantile(gaps, 0.5).toFixed(2)} p99 ${quantile(gaps, 0.99).toFixed(2)}`);
    }
  } finally {
    await emulator.close();
  }
}

void main();
