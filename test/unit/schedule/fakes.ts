/** In-memory model providers on virtual time, for dispatcher tests. */
import type { Clock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import type { Batch, BatchFile } from '../../../src/core/plan/types';
import { estimateRequestTokens } from '../../../src/core/plan/estimate';
import { ProviderError, type ModelProvider, type ModelRequest, type ModelResponse } from '../../../src/core/providers/provider';
import type { Lane } from '../../../src/core/types';
import { seededRandom } from '../../../src/core/random';

export interface CallRecord {
  model: string;
  batchIds: string[];
  start: number;
  end?: number;
  maxTokens: number;
  outcome?: string;
  /** Input tokens the answer reported. */
  inputTokens?: number;
}

/** What a fake model does with call number `n` (0-based, per model): answer, or throw. */
export type Script = (n: number, request: ModelRequest) => { error?: ProviderError; latencyMs?: number; outputTokens?: number; stopReason?: string; hang?: boolean };

export class FakeModels {
  readonly calls: CallRecord[] = [];
  private counts = new Map<string, number>();
  private scripts = new Map<string, Script>();

  constructor(private readonly clock: Clock, private readonly defaultLatencyMs = 2_000) {}

  script(model: string, script: Script): this {
    this.scripts.set(model, script);
    return this;
  }

  readonly providerFor = (modelId: string): ModelProvider => ({
    converse: async (request: ModelRequest, signal: AbortSignal): Promise<ModelResponse> => {
      const n = this.counts.get(modelId) ?? 0;
      this.counts.set(modelId, n + 1);
      const step = this.scripts.get(modelId)?.(n, request) ?? {};
      const record: CallRecord = { model: modelId, batchIds: batchIdsOf(request.prompt), start: this.clock.now(), maxTokens: request.maxTokens };
      this.calls.push(record);
      try {
        if (step.hang) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
        await this.clock.sleep(step.latencyMs ?? this.defaultLatencyMs, signal);
        if (step.error) throw step.error;
        const inputTokens = Math.ceil(request.prompt.length / 4) + 200;
        const outputTokens = Math.min(request.maxTokens, step.outputTokens ?? 100);
        record.outcome = 'ok';
        record.inputTokens = inputTokens;
        return { toolInput: { findings: [] }, usage: { inputTokens, outputTokens }, stopReason: step.stopReason ?? 'tool_use', latencyMs: step.latencyMs ?? this.defaultLatencyMs };
      } catch (err) {
        record.outcome = err instanceof ProviderError ? err.code : 'error';
        throw err;
      } finally {
        record.end = this.clock.now();
      }
    },
  });
}

/** Batch ids travel in the file paths of the fake batches: `<batchId>/file.ts`. */
function batchIdsOf(prompt: string): string[] {
  return [...new Set([...prompt.matchAll(/path="([^/"]+)\//g)].map((m) => m[1]!))];
}

export function makeBatch(id: string, model: string, options: { lane?: Lane; kb?: number; files?: number } = {}): Batch {
  const files: BatchFile[] = [];
  const perFile = Math.max(1, Math.round(((options.kb ?? 4) * 1024) / (options.files ?? 1)));
  for (let i = 0; i < (options.files ?? 1); i++) {
    const text = 'x'.repeat(perFile - 1) + '\n';
    files.push({ path: `${id}/f${i}.ts`, text, bytes: perFile, hash: `${id}-${i}` });
  }
  return { id, files, preferredModel: model, lane: options.lane ?? 'background', estInputTokens: estimateRequestTokens(files), score: 0.5, reason: `test route to ${model}` };
}

export const STRONG: ModelConfig = { id: 'strong', tokensPerMinute: 100_000, maxKbPerBatch: 350, maxOutputTokens: 4_000, minComplexity: 0.7 };
export const LIGHT: ModelConfig = { id: 'light', tokensPerMinute: 60_000, maxKbPerBatch: 200, maxOutputTokens: 4_000, minComplexity: 0 };

/** A deterministic [0,1) source. */
export function seeded(seed = 1): () => number {
  return seededRandom(seed);
}
