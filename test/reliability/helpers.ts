/**
 * Shared by the reliability suite: a real engine (Bedrock provider, real AWS SDK) against an
 * in-process emulator on loopback, both on one sped-up clock, plus the checks every fault test makes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ScaledClock } from '../../src/core/clock';
import { defaultConfig, type ChorusConfig } from '../../src/core/config';
import { createEngine, createInterimScorer, type AnalyzeResult, type Engine, type EngineOptions } from '../../src/core/engine';
import { defaultEmulatorConfig, startEmulator, type EmulatorConfig, type RunningEmulator } from '../../src/emulator';

/**
 * One emulated minute per half a real second: a full throttle storm costs little waiting, while the
 * engine's 120 s request timeout stays a real second, above a busy machine's scheduling noise.
 */
export const TIME_SCALE = 120;
export const NOVA = 'us.amazon.nova-pro-v1:0';
export const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `chorus-rel-${prefix}-`));
}

export function writeTree(root: string, files: Record<string, string | Buffer>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export function startTestEmulator(config: EmulatorConfig = defaultEmulatorConfig(), port = 0): Promise<RunningEmulator> {
  return startEmulator({ config, port, timeScale: TIME_SCALE });
}

/** The engine the CLI builds, minus the worker pool (the interim scorer keeps these tests light). */
export function engineFor(endpoint: string, overrides: Partial<ChorusConfig> = {}, options: Partial<EngineOptions> = {}): Engine {
  return createEngine({
    config: { ...defaultConfig(), endpoint, ...overrides },
    clock: new ScaledClock(TIME_SCALE),
    scorer: createInterimScorer(),
    ...options,
  });
}

/** Polls (real time, bounded) until `ready()`; for "mid-run" faults that wait for traffic first. */
export async function waitFor(ready: () => boolean, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** waitFor with a condition that needs a round trip (an emulator in another process, say). */
export async function waitForAsync(ready: () => Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Dummy credentials for the SDK's default chain; the emulator checks none unless configured to. */
export function useDummyCredentials(values: { id: string; secret: string } = { id: 'AKIDCHORUSTEST', secret: 'chorus-test' }): void {
  const saved: Record<string, string | undefined> = {};
  const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_EC2_METADATA_DISABLED'] as const;
  before(() => {
    for (const key of keys) saved[key] = process.env[key];
    process.env.AWS_ACCESS_KEY_ID = values.id;
    process.env.AWS_SECRET_ACCESS_KEY = values.secret;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    delete process.env.AWS_PROFILE;
  });
  after(() => {
    for (const key of keys) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
}

/**
 * Collects unhandled rejections for the duration of each test and fails the test that caused one:
 * a fault must end as an outcome, never as a promise nobody awaited.
 */
export function failOnUnhandledRejection(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  beforeEach(() => {
    seen.length = 0;
    process.on('unhandledRejection', listener);
  });
  afterEach(async () => {
    // Let rejections created in the test's last tick reach the listener.
    await new Promise((r) => setImmediate(r));
    process.off('unhandledRejection', listener);
    assert.deepEqual(seen.map(String), [], 'unhandled rejection');
  });
}

export function removeAfter(dirs: string[]): void {
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
}

/**
 * The hooks a suite that shares one emulator needs: dummy credentials, a failing check for unhandled
 * rejections, temp folders removed afterwards, and the emulator started before and closed after.
 */
export function useEmulatorSuite(credentials?: { id: string; secret: string }): { readonly emu: RunningEmulator; dirs: string[] } {
  useDummyCredentials(credentials);
  failOnUnhandledRejection();
  const dirs: string[] = [];
  removeAfter(dirs);
  let emu: RunningEmulator | undefined;
  before(async () => (emu = await startTestEmulator()));
  after(async () => emu?.close());
  return {
    dirs,
    get emu() {
      if (!emu) throw new Error('the emulator starts in before(); read it inside a test');
      return emu;
    },
  };
}

/**
 * The hooks of a suite whose tests each start their own emulator (a config of their own): dummy
 * credentials, a failing check for unhandled rejections, temp folders removed afterwards, and the
 * test's emulator (`suite.emu`, set by the test) closed after each test.
 */
export function useEmulatorPerTest(): { dirs: string[]; emu: RunningEmulator | undefined } {
  useDummyCredentials();
  failOnUnhandledRejection();
  const suite: { dirs: string[]; emu: RunningEmulator | undefined } = { dirs: [], emu: undefined };
  removeAfter(suite.dirs);
  afterEach(async () => {
    await suite.emu?.close();
    suite.emu = undefined;
  });
  return suite;
}

/** Every expected path left the run exactly once: analyzed, or skipped/failed with a reason. */
export function assertAccounted(result: AnalyzeResult, expectedPaths: readonly string[]): void {
  assert.deepEqual(result.files.map((f) => f.path).sort(), [...expectedPaths].sort(), 'each file once');
  for (const f of result.files) {
    assert.ok(['analyzed', 'skipped', 'failed'].includes(f.status), `${f.path}: ${f.status}`);
    if (f.status !== 'analyzed') assert.ok(f.reason && f.reason.length > 0, `${f.path} ${f.status} without a reason`);
  }
}

/** No finding reported twice: same file, rule, lines and fingerprint. */
export function assertNoDuplicateFindings(result: AnalyzeResult): void {
  const keys = result.files.flatMap((f) => f.findings.map((x) => `${x.file}|${x.ruleId}|${x.startLine}|${x.endLine}|${x.fingerprint}`));
  assert.equal(new Set(keys).size, keys.length, `duplicate findings: ${keys.join(', ')}`);
}

/** Waits (on real time, bounded) until the emulator has nothing admitted and unfinished. */
export async function settledInFlight(emu: RunningEmulator, limitMs = 10_000): Promise<number> {
  const inFlight = () => emu.stats().totals.inFlight;
  const deadline = Date.now() + limitMs;
  while (inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return inFlight();
}
