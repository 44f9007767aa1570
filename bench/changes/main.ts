/**
 * `npm run bench:changes`: this repository's own last N commits (default 100) replayed through the
 * engine against an in-process emulator, each commit twice — as a change review (its diff: changed
 * functions + outline sent) and as whole-file analysis of the files it touched — with the cache off
 * in both, so every token is one the commit costs. Reported per commit: input tokens, requests and
 * findings on changed lines; the emulator's rules are deterministic, so both modes must report the
 * same findings on changed lines. Then a save-after-edit workload: one function edited per save in
 * a file reviewed before, function-level cache against the file cache.
 *
 * Writes bench/results/changes.md (or `--out DIR`/changes.md). Options: --commits N, --time-scale X, --out DIR,
 * --at REF (the last N commits up to REF instead of HEAD: a before/after pair replays the same commits
 * while others commit).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { commitChanges, fileAt } from '../../src/core/changes/git';
import { changedLines, type DiffFile } from '../../src/core/changes/diff';
import type { RegionOptions } from '../../src/core/changes/regions';
import { ScaledClock } from '../../src/core/clock';
import type { Engine } from '../../src/core/engine';
import { splitLines } from '../../src/core/findings';
import { overheadTokens } from '../../src/core/plan/estimate';
import type { FileOutcome } from '../../src/core/types';
import { estimateTokens } from '../../src/core/contract';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../src/emulator';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openBenchEngine } from './engine';
import { saveWorkload, type SaveResult } from './saves';

const REPO = resolve(__dirname, '..', '..');
/** `--out DIR`: where changes.md goes (a trial run must not overwrite the committed results). */
const OUT = ((): string => {
  const i = process.argv.indexOf('--out');
  const dir = i >= 0 ? process.argv[i + 1] : undefined;
  return dir ? join(resolve(dir), 'changes.md') : join(REPO, 'bench', 'results', 'changes.md');
})();

/** `--regions '{"maxFunctionLines":30}'`: region options to try (src/core/changes/regions.ts). */
const REGIONS = ((): Partial<RegionOptions> | undefined => {
  const i = process.argv.indexOf('--regions');
  return i >= 0 ? (JSON.parse(process.argv[i + 1] ?? '{}') as Partial<RegionOptions>) : undefined;
})();

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export interface CommitRow {
  commit: string;
  subject: string;
  files: number;
  /** The commit adds a file (whose every line is changed): a change review cannot send less of it. */
  addsFiles: boolean;
  /** Changed lines ÷ lines of the files it touched. */
  changedShare: number;
  /** Input tokens as the models counted them, requests, and the estimate of the user messages alone (code, outlines: no system prompt, no tool schema). */
  whole: { tokens: number; requests: number; promptTokens: number };
  change: { tokens: number; requests: number; promptTokens: number };
  /** Findings on changed lines: whole-file run filtered to them, and the change review's. */
  wholeOnChanged: number;
  changeOnChanged: number;
  agree: boolean;
  /** Findings present in one mode only (for the report), as `path:line rule`. */
  differences: string[];
}

function tokensOf(result: { models: { inputTokens: number; requests: number }[] }): { tokens: number; requests: number } {
  // The run's own summary: what the models charged for its calls.
  return { tokens: result.models.reduce((s, m) => s + m.inputTokens, 0), requests: result.models.reduce((s, m) => s + m.requests, 0) };
}

/** `path:startLine-endLine rule` of each finding on a changed line of its file. */
function onChanged(files: readonly FileOutcome[], changed: ReadonlyMap<string, Set<number>>): string[] {
  const out: string[] = [];
  for (const f of files) {
    const lines = changed.get(f.path);
    if (!lines) continue;
    for (const x of f.findings) {
      let hit = false;
      for (let n = x.startLine; n <= x.endLine && !hit; n++) hit = lines.has(n);
      if (hit) out.push(`${f.path}:${x.startLine}-${x.endLine} ${x.ruleId}`);
    }
  }
  return out.sort();
}

/** What the emulator received since request `since`: its user messages' tokens by the contract's estimate. */
function promptTokensSince(emulator: RunningEmulator, since: number): number {
  return emulator.requests({ since, includeBodies: true }).reduce((s, r) => s + estimateTokens(r.prompt ?? ''), 0);
}

async function replayCommit(engine: Engine, emulator: RunningEmulator, commit: string, subject: string): Promise<CommitRow | undefined> {
  let diff: DiffFile[];
  try {
    diff = await commitChanges(REPO, commit);
  } catch {
    return undefined; // the root commit has no parent
  }
  const reviewable = diff.filter((d) => d.newPath && d.status !== 'deleted' && d.status !== 'binary' && d.hunks.length > 0);
  if (reviewable.length === 0) return undefined;
  // The commit's touched files as they were right after it, in a folder of their own.
  const root = await mkdtemp(join(tmpdir(), 'chorus-bench-changes-'));
  try {
    const changed = new Map<string, Set<number>>();
    for (const d of reviewable) {
      const text = await fileAt(REPO, commit, d.newPath!);
      if (text === undefined) continue;
      await mkdir(dirname(join(root, d.newPath!)), { recursive: true });
      await writeFile(join(root, d.newPath!), text);
      const count = Math.max(1, splitLines(text).length);
      changed.set(d.newPath!, new Set([...changedLines(d)].map((n) => Math.min(Math.max(1, n), count))));
    }
    const paths = [...changed.keys()];
    let total = 0;
    for (const p of paths) total += (await fileAt(REPO, commit, p))!.split('\n').length;
    const changedCount = [...changed.values()].reduce((n, set) => n + set.size, 0);
    const mark = emulator.requests().at(-1)?.seq ?? 0;
    const whole = await engine.analyze({ root, paths, lane: 'background', noCache: true });
    const between = emulator.requests().at(-1)?.seq ?? 0;
    const change = await engine.reviewChanges({ root, changes: reviewable, lane: 'background', noCache: true, ...(REGIONS ? { regions: REGIONS } : {}) });
    const wholePrompt = promptTokensSince(emulator, mark) - promptTokensSince(emulator, between);
    const changePrompt = promptTokensSince(emulator, between);
    const w = onChanged(whole.files, changed);
    const c = onChanged(change.files, changed);
    const differences = [...w.filter((x) => !c.includes(x)).map((x) => `whole only: ${x}`), ...c.filter((x) => !w.includes(x)).map((x) => `change only: ${x}`)];
    return {
      commit: commit.slice(0, 8),
      subject,
      files: paths.length,
      addsFiles: reviewable.some((d) => d.status === 'added'),
      changedShare: total > 0 ? changedCount / total : 0,
      whole: { ...tokensOf(whole), promptTokens: wholePrompt },
      change: { ...tokensOf(change), promptTokens: changePrompt },
      wholeOnChanged: w.length,
      changeOnChanged: c.length,
      agree: differences.length === 0,
      differences,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The median ratio by kind of commit: edits to existing files only, adding files, and all. */
function breakdown(rows: readonly CommitRow[]): string[] {
  const line = (label: string, set: readonly CommitRow[]) => {
    const ratios = set.filter((r) => r.change.tokens > 0).map((r) => r.whole.tokens / r.change.tokens);
    const code = set.filter((r) => r.change.promptTokens > 0).map((r) => r.whole.promptTokens / r.change.promptTokens);
    return `| ${label} | ${set.length} | ${(median(set.map((r) => r.changedShare)) * 100).toFixed(0)} % | ${median(ratios).toFixed(1)}× | ${median(code).toFixed(1)}× |`;
  };
  return [
    line('Editing existing files only', rows.filter((r) => !r.addsFiles)),
    line('Adding files', rows.filter((r) => r.addsFiles)),
    line('Changing under 10 % of the lines touched', rows.filter((r) => r.changedShare < 0.1)),
    line('All', rows),
  ];
}

function report(rows: readonly CommitRow[], saves: SaveResult, skipped: number, scale: number): string {
  const ratios = rows.filter((r) => r.change.tokens > 0).map((r) => r.whole.tokens / r.change.tokens);
  const sum = (f: (r: CommitRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const agreeing = rows.filter((r) => r.agree).length;
  const med = median(ratios);
  const lines = [
    '# Change review vs whole-file analysis (`npm run bench:changes`)',
    '',
    `This repository's last ${rows.length + skipped} commits (${skipped} without a reviewable text change skipped), each replayed against the in-process emulator at ${scale}× (cache off): as a change review of its diff, and as whole-file analysis of the files it touched.`,
    '',
    '| Measure | Whole files | Change review |',
    '|:--|--:|--:|',
    `| Input tokens, all commits | ${fmt(sum((r) => r.whole.tokens))} | ${fmt(sum((r) => r.change.tokens))} |`,
    `| Input tokens per commit, median | ${fmt(Math.round(median(rows.map((r) => r.whole.tokens))))} | ${fmt(Math.round(median(rows.map((r) => r.change.tokens))))} |`,
    `| Code tokens (user messages, estimate), all commits | ${fmt(sum((r) => r.whole.promptTokens))} | ${fmt(sum((r) => r.change.promptTokens))} |`,
    `| Requests, all commits | ${fmt(sum((r) => r.whole.requests))} | ${fmt(sum((r) => r.change.requests))} |`,
    `| Findings on changed lines, all commits | ${fmt(sum((r) => r.wholeOnChanged))} | ${fmt(sum((r) => r.changeOnChanged))} |`,
    '',
    `**Tokens sent per commit, median ratio whole ÷ change: ${med.toFixed(1)}×** (target ≥ 5×: ${med >= 5 ? 'met' : 'NOT met'}); p25 ${median(ratios.filter((x) => x <= med)).toFixed(1)}×, p75 ${median(ratios.filter((x) => x >= med)).toFixed(1)}×.`,
    `Code sent (the user messages: excerpts and outlines, or whole files; without the ~${overheadTokens()}-token system prompt and tool schema every request carries), median ratio whole ÷ change: **${median(rows.filter((r) => r.change.promptTokens > 0).map((r) => r.whole.promptTokens / r.change.promptTokens)).toFixed(1)}×**.`,
    `Same findings on changed lines in both modes: ${agreeing} of ${rows.length} commits.`,
    '',
    '| Commits | Count | Changed lines ÷ lines touched, median | Tokens whole ÷ change, median | Code tokens whole ÷ change, median |',
    '|:--|--:|--:|--:|--:|',
    ...breakdown(rows),
    '',
    '## Save after edit (one function edited per save, in a file reviewed before)',
    '',
    '| Cache | Saves | Input tokens per save, median | Functions sent per save, median | Save → findings, median (emulated ms) |',
    '|:--|--:|--:|--:|--:|',
    `| File cache (whole-file analysis) | ${saves.saves} | ${fmt(saves.file.tokensMedian)} | — | ${fmt(saves.file.latencyMedianMs)} |`,
    `| Function cache (change review) | ${saves.saves} | ${fmt(saves.fn.tokensMedian)} | ${saves.fn.sentMedian} | ${fmt(saves.fn.latencyMedianMs)} |`,
    `| Incremental save (the editor's path: \`analyze\` with \`incremental\`) | ${saves.saves} | ${fmt(saves.incremental.tokensMedian)} | — (${saves.incremental.requestsMedian} request(s)) | ${fmt(saves.incremental.latencyMedianMs)} |`,
    '',
    `Incremental saves whose findings (rule and lines, whole file) are the whole-file analysis's: ${saves.incremental.sameFindings} of ${saves.saves}.`,
    ...saves.incremental.differences.map((d) => `- ${d}`),
    '',
    `Files: ${saves.files.join(', ')}. Latency is on the emulator's clock at ${scale}×: local work (the change review parses the file with tree-sitter, a few ms) counts ${scale} times over, so it overstates the function cache's local cost against the model's latency.`,
    '',
    '## Per commit',
    '',
    '| Commit | Files | Tokens whole | Tokens change | Ratio | Requests whole / change | Findings on changed lines whole / change |',
    '|:--|--:|--:|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r.commit} | ${r.files} | ${fmt(r.whole.tokens)} | ${fmt(r.change.tokens)} | ${r.change.tokens > 0 ? `${(r.whole.tokens / r.change.tokens).toFixed(1)}×` : '—'} | ${r.whole.requests} / ${r.change.requests} | ${r.wholeOnChanged} / ${r.changeOnChanged}${r.agree ? '' : ' ≠'} |`),
  ];
  const diffs = rows.filter((r) => !r.agree);
  if (diffs.length > 0) {
    lines.push('', '## Where the modes disagree', '');
    for (const r of diffs) lines.push(`- ${r.commit}: ${r.differences.slice(0, 6).join('; ')}${r.differences.length > 6 ? ' …' : ''}`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const count = flag('--commits', 100);
  const scale = flag('--time-scale', 200);
  const at = process.argv.indexOf('--at');
  const ref = at >= 0 ? (process.argv[at + 1] ?? 'HEAD') : 'HEAD';
  const log = await promisify(execFile)('git', ['log', '--no-merges', `-n${count}`, '--format=%H%x09%s', ref, '--'], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
  const commits = log.stdout.split('\n').filter(Boolean).map((l) => [l.slice(0, 40), l.slice(41)] as const);
  const clock = new ScaledClock(scale);
  const emulator = await startEmulator({ config: defaultEmulatorConfig(), clock });
  const engine = openBenchEngine(emulator.url, clock);
  const rows: CommitRow[] = [];
  let skipped = 0;
  const started = Date.now();
  try {
    for (const [i, [commit, subject]] of commits.entries()) {
      const row = await replayCommit(engine, emulator, commit, subject);
      if (!row) {
        skipped++;
        continue;
      }
      rows.push(row);
      const ratio = row.change.tokens > 0 ? (row.whole.tokens / row.change.tokens).toFixed(1) : '—';
      process.stderr.write(`[${i + 1}/${commits.length}] ${((Date.now() - started) / 1000).toFixed(1)} s ${row.commit} ${row.files} file(s): ${fmt(row.whole.tokens)} → ${fmt(row.change.tokens)} tokens (${ratio}×)${row.agree ? '' : ' findings differ'}\n`);
    }
  } finally {
    engine.dispose();
  }
  const savesStarted = Date.now();
  const saves = await saveWorkload(REPO, emulator.url, clock);
  process.stderr.write(`save workload: ${saves.saves} saves in ${((Date.now() - savesStarted) / 1000).toFixed(1)} s\n`);
  await emulator.close();
  const text = report(rows, saves, skipped, scale);
  await mkdir(dirname(OUT), { recursive: true });
  await writeFile(OUT, text);
  process.stdout.write(text.split('\n## Per commit')[0] + `\nWrote ${OUT}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:changes failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
