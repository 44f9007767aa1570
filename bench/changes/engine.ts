/** The engine both bench:changes workloads run: the emulator's quotas stated, the interim scorer. */
import type { ScaledClock } from '../../src/core/clock';
import { defaultConfig } from '../../src/core/config';
import type { ChorusConfig } from '../../src/core/config/types';
import { createEngine, createInterimScorer, type Engine } from '../../src/core/engine';
import { createBedrockProviders } from '../../src/core/providers';
import { defaultEmulatorConfig } from '../../src/emulator';

// The emulator accepts any signature when it is not given a key pair; the SDK still signs with these.
const CREDENTIALS = { accessKeyId: 'AKIDCHORUSBENCH', secretAccessKey: 'chorus-bench-secret' };

function benchConfig(endpoint: string): ChorusConfig {
  const emulated = new Map(defaultEmulatorConfig().models.map((m) => [m.id, m.tokensPerMinute]));
  const config = defaultConfig();
  // The emulator's quotas, stated: no account look-up.
  const models = config.models.map(({ tokensPerMinuteFromAccount: _fromAccount, ...m }) => ({ ...m, tokensPerMinute: emulated.get(m.id) ?? m.tokensPerMinute }));
  return { ...config, endpoint, models };
}

export function openBenchEngine(endpoint: string, clock: ScaledClock, cacheDir?: string): Engine {
  const providers = createBedrockProviders({ region: 'us-east-1', endpoint, clock, credentials: CREDENTIALS });
  return createEngine({ config: benchConfig(endpoint), clock, providerFor: providers, scorer: createInterimScorer(), ...(cacheDir ? { cacheDir } : {}) });
}

