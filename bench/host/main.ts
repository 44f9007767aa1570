/**
 * `npm run bench:host`: the extension host's event-loop delay (perf_hooks.monitorEventLoopDelay)
 * during Analyze Workspace over a generated workspace of 5,000 files (CHORUS_BENCH_FILES), in the
 * real VS Code (code-server) of the e2e harness, against the emulator. Prints p50/p99/max overall
 * and per phase (prepare: discovery, redaction, scoring, planning; dispatch; publish) and writes
 * bench/results/host.json, or <dir>/host.json with `--out <dir>` (a trial run that must not replace
 * the recorded figures). CHORUS_ENGINE_THREAD=host runs the engine on the host's thread instead of
 * its worker, for a comparison. Needs `npm run build` and `npm run test:setup` first.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInHostSuite } from '../../test/e2e/harness/inHost';
import { busyTime, longestStretches, type CpuProfile } from './profile';

const here = import.meta.dirname;
const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-host-'));
process.env.CHORUS_BENCH_OUT = join(dir, 'result.json');

interface RunResult {
  files: number;
  statuses: Record<string, number>;
  reasons: string[];
  filesWithFindings: number;
  elapsedMs: number;
  batches: number;
  eventLoopDelayMs: Record<string, number>;
  byPhase: Record<string, { seconds: number; worstP99: number; max: number }>;
}

function print(name: string, r: RunResult): void {
  const d = r.eventLoopDelayMs;
  const statuses = Object.entries(r.statuses).map(([k, v]) => `${v} ${k}`).join(', ');
  console.log(`${name}: ${r.files} files (${statuses}; ${r.filesWithFindings} with findings) in ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.batches} batches`);
  for (const reason of r.reasons) console.log(`  not analyzed: ${reason}`);
  console.log(`  event-loop delay: p50 ${d.p50} ms · p90 ${d.p90} ms · p99 ${d.p99} ms · max ${d.max} ms`);
  for (const [phase, p] of Object.entries(r.byPhase)) console.log(`    ${phase.padEnd(9)} ${String(p.seconds).padStart(4)} s   worst 1-s p99 ${p.worstP99} ms   max ${p.max} ms`);
}

/** `--out <dir>` (or `--out=<dir>`): where host.json goes instead of bench/results. */
function outFlag(): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === '--out' || a.startsWith('--out='));
  if (i < 0) return undefined;
  const arg = args[i]!;
  const value = arg.startsWith('--out=') ? arg.slice('--out='.length) : args[i + 1];
  if (!value) throw new Error('--out needs a folder');
  return resolve(value);
}

async function main(): Promise<void> {
  const results = await runInHostSuite(join(here, 'eventLoop.test.ts'));
  const failed = results.fatal ?? results.tests.find((t) => t.state !== 'passed')?.error?.message;
  if (failed) throw new Error(`the benchmark failed in the extension host: ${failed}`);
  const result = JSON.parse(readFileSync(process.env.CHORUS_BENCH_OUT!, 'utf8')) as { resolutionMs: number; engineThread: string; cold: RunResult; warm: RunResult };
  const where = result.engineThread === 'host' ? "the engine on the host's thread (CHORUS_ENGINE_THREAD=host)" : 'the engine in its worker thread';
  console.log(`Analyze Workspace in the extension host, ${where} (delays net of the ${result.resolutionMs} ms sampling timer):`);
  print('cold (engine loads on first use)', result.cold);
  print('warm (cache cleared, engine loaded)', result.warm);
  const profile = JSON.parse(readFileSync(`${process.env.CHORUS_BENCH_OUT!}.cpuprofile`, 'utf8')) as CpuProfile;
  const busy = busyTime(profile);
  console.log(`warm run, the host thread's CPU profile: busy ${busy.busyMs} ms of ${busy.totalMs} ms (self time: the Chorus bundle ${busy.chorusMs} ms, VS Code's extension host ${busy.vscodeMs} ms, garbage collection ${busy.gcMs} ms, the VM outside JS ${busy.nativeMs} ms)`);
  console.log('warm run, longest stretches without a turn of the event loop (CPU profile):');
  for (const stretch of longestStretches(profile, 3)) {
    console.log(`  ${stretch.ms} ms: ${stretch.top.join(' · ')}`);
  }
  const outDir = outFlag() ?? resolve(here, '../results');
  const out = join(outDir, 'host.json');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), ...result, warmHostCpu: busy }, null, 2));
  // A trial run keeps the profile too (open it in Chrome DevTools or VS Code to see the stretches).
  if (outFlag()) writeFileSync(join(outDir, 'host-warm.cpuprofile'), JSON.stringify(profile));
  console.log(`written to ${out}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
