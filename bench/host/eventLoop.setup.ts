/**
 * The host benchmark's session: the generated workspace, the emulator in the outer process (so its
 * own work never lands on the measured event loop), quotas large enough that the run measures the
 * host rather than the quota, and no dialogs (consent and the cost estimate are off for the run).
 */
import { defaultEmulatorConfig, startEmulator } from '../../src/emulator';
import type { SuiteSetup } from '../../test/e2e/harness/inHost';
import { hostWorkspace } from './workspace';

export const HOST_BENCH_FILES = Number(process.env.CHORUS_BENCH_FILES ?? 5000);
const TPM = 20_000_000;

const setup: SuiteSetup = async () => {
  const config = defaultEmulatorConfig();
  // Fast answers: the service's speed is not what is measured, the host's thread is.
  config.models = config.models.map((m) => ({ ...m, tokensPerMinute: TPM, firstTokenMs: 50, outputTokensPerSecond: 20_000 }));
  const emulator = await startEmulator({ config, port: 0, timeScale: 1 });
  // Small batches (8 KB, about 30 of these files): 500 files per batch ask for more findings than one
  // answer may hold (Llama's JSON in text is cut at its output cap and every file fails as malformed).
  const models = [
    { id: 'us.amazon.nova-pro-v1:0', label: 'Nova Pro', tokensPerMinute: TPM, maxKbPerBatch: 8, minComplexity: 0.7 },
    { id: 'us.meta.llama3-3-70b-instruct-v1:0', label: 'Llama 3.3 70B', tokensPerMinute: TPM, maxKbPerBatch: 8, maxOutputTokens: 4096, minComplexity: 0 },
  ];
  return {
    files: hostWorkspace(HOST_BENCH_FILES),
    settings: {
      'chorus.endpoint': emulator.url,
      'chorus.askBeforeSending': false,
      'chorus.confirmWorkspaceAboveFiles': HOST_BENCH_FILES * 2,
      'chorus.watch.enabled': false,
      'chorus.models': models,
    },
    env: {
      AWS_ACCESS_KEY_ID: `AKIDBENCH${Date.now()}`,
      AWS_SECRET_ACCESS_KEY: Math.random().toString(36).slice(2),
      CHORUS_BENCH_OUT: process.env.CHORUS_BENCH_OUT ?? '',
      // `host` measures the engine on the extension host's thread (the way it ran before the worker).
      CHORUS_ENGINE_THREAD: process.env.CHORUS_ENGINE_THREAD ?? '',
    },
    dispose: () => emulator.close(),
  };
};
export default setup;
