/**
 * `tsx bench/changes/breakdown.ts [--commits N] [--at REF] [--regions JSON]`: where a change review's tokens go, per commit —
 * requests × the fixed overhead (system prompt + tool schema), CHANGE blocks (outline, imports,
 * removed), and excerpt lines (changed vs context). A diagnostic for tuning regions.ts; it writes
 * nothing but stdout.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { commitChanges, fileAt } from '../../src/core/changes/git';
import type { RegionOptions } from '../../src/core/changes/regions';
import { ScaledClock } from '../../src/core/clock';
import { estimateTokens } from '../../src/core/contract';
import { overheadTokens } from '../../src/core/plan/estimate';
import { defaultEmulatorConfig, startEmulator } from '../../src/emulator';
import { openBenchEngine } from './engine';

const REPO = resolve(__dirname, '..', '..');
const REGIONS = ((): Partial<RegionOptions> | undefined => {
  const i = process.argv.indexOf('--regions');
  return i >= 0 ? (JSON.parse(process.argv[i + 1] ?? '{}') as Partial<RegionOptions>) : undefined;
})();
/** Excerpts longer than this are listed (where a long function is sent whole). */
const LONG = 40;

/** Tokens of a prompt's CHANGE blocks and of its FILE blocks (by the contract's estimate). */
function split(prompt: string): { change: number; files: number; lines: number; marked: number } {
  let change = 0;
  let files = 0;
  let lines = 0;
  let marked = 0;
  for (const m of prompt.matchAll(/<<<CHORUS CHANGE[^\n]*\n[\s\S]*?<<<CHORUS END CHANGE>>>/g)) change += estimateTokens(m[0]);
  for (const m of prompt.matchAll(/<<<CHORUS FILE[^\n]*\n([\s\S]*?)<<<CHORUS END FILE>>>/g)) {
    files += estimateTokens(m[0]);
    const body = m[1]!.split('\n').filter(Boolean);
    if (body.length > LONG) process.stdout.write(`  long excerpt: ${m[0].split('\n')[0]} (${body.length} lines, ${body.filter((l) => /^\d+\+\|/.test(l)).length} marked)\n`);
    lines += body.length;
    marked += body.filter((l) => /^\d+\+\|/.test(l)).length;
  }
  return { change, files, lines, marked };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--commits');
  const count = i >= 0 ? Number(process.argv[i + 1]) : 30;
  const at = process.argv.indexOf('--at');
  const ref = at >= 0 ? process.argv[at + 1]! : 'HEAD';
  const log = await promisify(execFile)('git', ['log', '--no-merges', `-n${count}`, '--format=%H', ref], { cwd: REPO });
  const clock = new ScaledClock(200);
  const emulator = await startEmulator({ config: defaultEmulatorConfig(), clock });
  const engine = openBenchEngine(emulator.url, clock);
  const overhead = overheadTokens();
  const total = { requests: 0, overhead: 0, change: 0, files: 0, lines: 0, marked: 0, counted: 0 };
  try {
    for (const commit of log.stdout.split('\n').filter(Boolean)) {
      const diff = await commitChanges(REPO, commit).catch(() => []);
      const reviewable = diff.filter((d) => d.newPath && d.status !== 'deleted' && d.status !== 'binary' && d.hunks.length > 0);
      if (reviewable.length === 0) continue;
      const root = await mkdtemp(join(tmpdir(), 'chorus-breakdown-'));
      try {
        for (const d of reviewable) {
          const text = await fileAt(REPO, commit, d.newPath!);
          if (text === undefined) continue;
          await mkdir(dirname(join(root, d.newPath!)), { recursive: true });
          await writeFile(join(root, d.newPath!), text);
        }
        const mark = emulator.requests().at(-1)?.seq ?? 0;
        const result = await engine.reviewChanges({ root, changes: reviewable, lane: 'background', noCache: true, ...(REGIONS ? { regions: REGIONS } : {}) });
        const reqs = emulator.requests({ since: mark, includeBodies: true });
        const parts = reqs.map((r) => split(r.prompt ?? '')).reduce((a, b) => ({ change: a.change + b.change, files: a.files + b.files, lines: a.lines + b.lines, marked: a.marked + b.marked }), { change: 0, files: 0, lines: 0, marked: 0 });
        const counted = result.models.reduce((s, m) => s + m.inputTokens, 0);
        const adds = reviewable.some((d) => d.status === 'added') ? 'A' : ' ';
        process.stdout.write(`${commit.slice(0, 8)} ${adds} files=${reviewable.length} req=${reqs.length} counted=${counted} overhead=${reqs.length * overhead} change=${parts.change} excerpts=${parts.files} lines=${parts.lines} marked=${parts.marked}\n`);
        total.requests += reqs.length;
        total.overhead += reqs.length * overhead;
        total.change += parts.change;
        total.files += parts.files;
        total.lines += parts.lines;
        total.marked += parts.marked;
        total.counted += counted;
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }
  } finally {
    engine.dispose();
    await emulator.close();
  }
  process.stdout.write(`TOTAL ${JSON.stringify(total)}\n`);
}

void main();
