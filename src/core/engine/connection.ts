/**
 * `testConnection`: one tiny Converse call per model, so a user learns in seconds whether each model
 * is reachable and authorized, and if not, what to do about it.
 */
import type { ModelConfig } from '../config/types';
import { codeOfErrorKind } from '../outcome';
import { ProviderError, type ModelProvider } from '../providers/provider';
import { classifyError } from '../providers/classify';
import type { Clock } from '../clock';
import type { ConnectionReport } from './api';
import { credentialsHelp } from './credentials';

function advice(error: ProviderError, model: ModelConfig, region: string, profile: string | undefined): string {
  switch (error.kind) {
    case 'credentials':
      return `${error.message}\n${credentialsHelp(profile)}`;
    case 'model-unavailable':
      return `${error.code}: ${error.message} — check that ${model.id} exists in ${region} and that model access is granted in the Bedrock console (Model access).`;
    case 'throttled':
      return `reachable and authorized, but throttled right now (${error.code}); the quota of ${model.tokensPerMinute.toLocaleString('en-US')} tokens/min may be in use by other work.`;
    case 'invalid-request':
      return `reachable, but the request was refused (${error.code}: ${error.message}).`;
    case 'daily-quota':
    case 'quota-exceeded':
      return `reachable and authorized, but over a quota: ${error.message}`;
    case 'connections':
      return `reachable and authorized, but the model has too many calls in flight right now (${error.code}: ${error.message}).`;
    default:
      return `${error.code}: ${error.message} — check the network, the region (${region}) and the endpoint.`;
  }
}

export async function testModels(
  models: readonly ModelConfig[],
  providerFor: (id: string) => ModelProvider,
  clock: Clock,
  where: { region: string; profile?: string },
  signal?: AbortSignal,
): Promise<ConnectionReport[]> {
  return Promise.all(
    models.map(async (model): Promise<ConnectionReport> => {
      const started = clock.now();
      try {
        await providerFor(model.id).converse(
          { modelId: model.id, system: 'Connection test.', prompt: 'Reply with the single word OK.', maxTokens: 16, toolChoice: 'auto' },
          signal ?? new AbortController().signal,
        );
        const latencyMs = Math.round(clock.now() - started);
        return { model: model.id, ok: true, latencyMs, detail: `reachable, authorized, quota ${model.tokensPerMinute.toLocaleString('en-US')} tokens/min configured (${latencyMs} ms)` };
      } catch (err) {
        const error = err instanceof ProviderError ? err : classifyError(err);
        return {
          model: model.id,
          ok: error.kind === 'throttled',
          detail: advice(error, model, where.region, where.profile),
          code: codeOfErrorKind(error.kind, error.code, error.httpStatus),
          latencyMs: Math.round(clock.now() - started),
        };
      }
    }),
  );
}
