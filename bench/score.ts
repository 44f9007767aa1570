/**
 * `npm run bench:score`: the scorer's speed on real code from node_modules (JavaScript, TypeScript,
 * the C/C++ headers shipped by the `node` package, topped up with TypeScript declarations), at
 * least 10,000 distinct files.
 *   1. one worker, warm: files/s and MB/s per worker;
 *   2. the pool on every core: files/s, MB/s, peak RSS, and the longest event-loop stall of this
 *      (the calling) thread while scoring;
 *   3. `chorus score DIR --json` end to end on a copy of the corpus: wall time from a cold process.
 * Prints a table and writes bench/results/score.json. Requires the bundle (the script builds first).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createScorer, type ScoreInput } from '../src/core/score';
import { languageForPath } from '../src/core/score/lang/languages';

const CORPUS_FILES = Number(process.env.SCORE_BENCH_FILES ?? 10_000);
const MAX_FILE_BYTES = 256 * 1024;
const SKIP = new Set(['typescript', '@typescript', '.bin', '.cache']);
const WORKER_SCRIPT = resolve('dist/scoreWorker.js');

function corpus(): (ScoreInput & { origin: string })[] {
  const sources: string[] = [];
  const declarations: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIP.has(entry.name)) walk(path);
      else if (entry.isFile() && languageForPath(path) && !path.endsWith('.min.js') && statSync(path).size <= MAX_FILE_BYTES) {
        (/\.d\.[cm]?ts$/.test(path) ? declarations : sources).push(path);
      }
    }
  };
  walk('node_modules');
  // Packages nest copies of each other: keep one of each content, or the memo would flatter the figures.
  const seen = new Set<string>();
  const unique = (paths: string[]) => paths.map((path) => ({ path, buffer: readFileSync(path) })).filter(({ buffer }) => {
    const hash = createHash('sha1').update(buffer).digest('hex');
    return !seen.has(hash) && seen.add(hash);
  });
  // Every k-th file: a spread over all packages rather than the alphabetically first ones.
  const spread = <T>(items: T[], count: number) => {
    const step = Math.max(1, Math.floor(items.length / Math.max(count, 1)));
    return items.filter((_, i) => i % step === 0).slice(0, Math.max(count, 0));
  };
  // Sources first; there are fewer than 10,000 distinct ones, so TypeScript declarations fill up.
  const code = spread(unique(sources), CORPUS_FILES);
  const picked = [...code, ...spread(unique(declarations), CORPUS_FILES - code.length)];
  return picked.map(({ path, buffer }) => ({
    // `chorus score` skips node_modules directories: name them otherwise in the copy it walks.
    path: path.slice('node_modules/'.length).replaceAll('node_modules/', 'nm/'),
    origin: path,
    text: buffer.toString('utf8'),
    bytes: buffer.length,
  }));
}

const mb = (bytes: number) => bytes / 1024 / 1024;

async function timed(files: ScoreInput[], workers: number) {
  const scorer = createScorer({ workers, workerScript: WORKER_SCRIPT });
  try {
    // Warm-up: start the workers and compile every grammar the corpus needs, off the clock.
    const languages = new Map(files.map((f) => [languageForPath(f.path), f]));
    const warm = [...languages.values()].flatMap((f) => Array.from({ length: 40 * workers }, (_, i) => ({ path: `warm/${i}/${f.path}`, text: ' '.repeat(i), bytes: i })));
    await scorer.score(warm);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    let drift = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      drift = Math.max(drift, now - last - 5);
      last = now;
    }, 5);
    delay.enable();
    const start = performance.now();
    // CPU time of every thread of the process: files per CPU-second does not depend on how busy
    // the machine is, where wall-clock files/s does (other processes share these cores).
    const cpuStart = process.cpuUsage();
    const result = await scorer.score(files);
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    delay.disable();
    clearInterval(probe);
    const bytes = files.reduce((s, f) => s + f.bytes, 0);
    const sizeOnly = result.files.filter((f) => f.note?.startsWith('size-only')).length;
    return { workers, files: files.length, seconds, cpuSeconds, filesPerCpuSecond: files.length / cpuSeconds, mbPerCpuSecond: mb(bytes) / cpuSeconds,
      filesPerSecond: files.length / seconds, mbPerSecond: mb(bytes) / seconds,
      maxStallMs: Math.max(delay.max / 1e6, drift), p99StallMs: delay.percentile(99) / 1e6, sizeOnly, groups: result.groups.length };
  } finally {
    scorer.dispose();
  }
}

function cliRun(files: (ScoreInput & { origin: string })[]) {
  const dir = join(tmpdir(), 'chorus-score-bench');
  rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(join(dir, f.path, '..'), { recursive: true });
    cpSync(f.origin, join(dir, f.path));
  }
  const start = performance.now();
  const out = execFileSync(process.execPath, [resolve('dist/cli.js'), 'score', dir, '--json'], { maxBuffer: 1 << 30 });
  const seconds = (performance.now() - start) / 1000;
  const parsed = JSON.parse(out.toString()) as { files: unknown[]; groups: unknown[] };
  rmSync(dir, { recursive: true, force: true });
  return { files: parsed.files.length, groups: parsed.groups.length, seconds };
}

async function main() {
  const files = corpus();
  const bytes = files.reduce((s, f) => s + f.bytes, 0);
  const byLanguage: Record<string, number> = {};
  for (const f of files) byLanguage[languageForPath(f.path)!] = (byLanguage[languageForPath(f.path)!] ?? 0) + 1;
  console.log(`corpus: ${files.length} files, ${mb(bytes).toFixed(1)} MB, mean ${(bytes / files.length / 1024).toFixed(1)} KB`, byLanguage);

  // Other processes share the cores: say how busy the machine was.
  const loadBefore = loadavg()[0]!.toFixed(1);
  const single = await timed(files.slice(0, Math.min(3000, files.length)), 1);
  const pool = await timed(files, availableParallelism());
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const cli = cliRun(files);

  const rows = [
    ['run', 'workers', 'files', 'seconds', 'files/s', 'MB/s', 'files/s/worker', 'files/CPU-s', 'MB/CPU-s', 'max stall ms', 'size-only'],
    ...[single, pool].map((r) => [r === single ? 'one worker' : 'pool', r.workers, r.files, r.seconds.toFixed(2), r.filesPerSecond.toFixed(0),
      r.mbPerSecond.toFixed(1), (r.filesPerSecond / r.workers).toFixed(0), r.filesPerCpuSecond.toFixed(0), r.mbPerCpuSecond.toFixed(1), r.maxStallMs.toFixed(1), r.sizeOnly]),
    ['CLI (cold)', availableParallelism(), cli.files, cli.seconds.toFixed(2), (cli.files / cli.seconds).toFixed(0), (mb(bytes) / cli.seconds).toFixed(1), '', '', '', '', ''],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const row of rows) console.log(row.map((cell, c) => String(cell).padStart(widths[c]!)).join('  '));
  console.log(`peak RSS (this process and its workers): ${peakRssMb.toFixed(0)} MB; load average before/after: ${loadBefore} / ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);

  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/score.json', `${JSON.stringify({
    date: new Date().toISOString(), cores: availableParallelism(), node: process.version, loadAverage: { before: Number(loadBefore), after: loadavg()[0] },
    corpus: { files: files.length, megabytes: mb(bytes), byLanguage }, single, pool, peakRssMb, cli,
  }, null, 2)}\n`);
}

void main();
