/** An in-memory model for engine tests: answers by the emulator's rules, records every prompt. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import type { ChorusConfig } from '../../../src/core/config/types';
import { parseBatchPrompt } from '../../../src/core/contract';
import { ProviderError, type ModelProvider, type ModelRequest, type ModelResponse } from '../../../src/core/providers/provider';
import { findFindings } from '../../../src/emulator/rules';

export type Behaviour = (request: ModelRequest, call: number) => ModelResponse | Error | undefined;

export class FakeModels {
  readonly calls: ModelRequest[] = [];
  behaviour: Behaviour = () => undefined;

  providerFor = (modelId: string): ModelProvider => ({
    converse: (request, signal) => {
      signal.throwIfAborted();
      this.calls.push(request);
      const special = this.behaviour(request, this.calls.length);
      if (special instanceof Error) return Promise.reject(special);
      if (special) return Promise.resolve(special);
      const findings = findFindings(parseBatchPrompt(request.prompt));
      const usage = { inputTokens: Math.ceil(request.prompt.length / 4), outputTokens: 20 + findings.length * 30 };
      return Promise.resolve({ toolInput: { findings }, usage, stopReason: 'tool_use', latencyMs: 5, ...(modelId ? {} : {}) });
    },
  });

  filesSent(): string[] {
    return this.calls.flatMap((c) => parseBatchPrompt(c.prompt).map((f) => f.path)).sort();
  }
}

export const accessDenied = () => new ProviderError('model-unavailable', 'AccessDeniedException', 'You do not have access to the model', 403);

export function workspace(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'chorus-engine-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export function testConfig(over: Partial<ChorusConfig> = {}): ChorusConfig {
  return { ...defaultConfig(), ...over };
}
