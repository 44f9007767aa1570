/**
 * The save-after-edit workload of `npm run bench:changes`: real files of this repository, reviewed
 * once, then saved again and again with one function edited each time (a comment line added inside
 * it). The file cache (whole-file analysis) sends the whole file on every save; the function cache
 * (a change review of the whole file, engine.reviewChanges with wholeFileChange) and the editor's
 * incremental save (engine.analyze with `incremental`: the save diffed against the version analyzed
 * before, src/core/changes/incremental.ts) send the edited function only. Tokens per save,
 * save-to-findings latency on the emulator's clock, and whether the incremental save's findings are
 * the whole-file analysis's.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { wholeFileChange } from '../../src/core/changes/diff';
import type { ScaledClock } from '../../src/core/clock';
import { analyzeFile } from '../../src/core/score/analyzeFile';
import { openBenchEngine } from './engine';

export interface SaveResult {
  files: string[];
  saves: number;
  file: { tokensMedian: number; latencyMedianMs: number };
  fn: { tokensMedian: number; latencyMedianMs: number; sentMedian: number };
  incremental: { tokensMedian: number; latencyMedianMs: number; requestsMedian: number; sameFindings: number; differences: string[] };
}

const FILES = ['src/core/plan/index.ts', 'src/emulator/rules.ts', 'src/core/findings/normalize.ts', 'src/core/schedule/quotaWindow.ts'];
const SAVES_PER_FILE = 5;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

export async function saveWorkload(repo: string, endpoint: string, clock: ScaledClock): Promise<SaveResult> {
  const root = await mkdtemp(join(tmpdir(), 'chorus-bench-saves-'));
  const fileCache = openBenchEngine(endpoint, clock, join(root, '.cache-file'));
  const fnCache = openBenchEngine(endpoint, clock, join(root, '.cache-fn'));
  const incremental = openBenchEngine(endpoint, clock, join(root, '.cache-incremental'));
  const out = {
    file: { tokens: [] as number[], latency: [] as number[] },
    fn: { tokens: [] as number[], latency: [] as number[], sent: [] as number[] },
    incremental: { tokens: [] as number[], latency: [] as number[], requests: [] as number[], same: 0, differences: [] as string[] },
  };
  const saveOf = (path: string, text: string) => incremental.analyze({ root, paths: [path], contents: new Map([[path, text]]), lane: 'interactive', incremental: true });
  const findingsOf = (r: { files: { findings: { ruleId: string; startLine: number; endLine: number }[] }[] }) =>
    r.files.flatMap((f) => f.findings.map((x) => `${x.ruleId}@${x.startLine}-${x.endLine}`)).sort().join(' ');
  const used: string[] = [];
  try {
    for (const path of FILES) {
      const original = await readFile(join(repo, path), 'utf8').catch(() => undefined);
      if (original === undefined) continue;
      const functions = (await analyzeFile(path, original, Buffer.byteLength(original))).functions;
      if (functions.length < 2) continue;
      used.push(path);
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), original);
      // Reviewed once before: both caches warm.
      await fileCache.analyze({ root, paths: [path], lane: 'interactive' });
      await fnCache.reviewChanges({ root, changes: [wholeFileChange(path)], lane: 'interactive' });
      await saveOf(path, original);
      let text = original;
      for (let save = 0; save < SAVES_PER_FILE; save++) {
        // Edit a different function each save: a comment line after its first line.
        const now = (await analyzeFile(path, text, Buffer.byteLength(text))).functions;
        const target = now[Math.floor((save * now.length) / SAVES_PER_FILE)]!;
        const lines = text.split('\n');
        lines.splice(target.startLine, 0, `  // edited in save ${save + 1}`);
        text = lines.join('\n');
        await writeFile(join(root, path), text);

        let t0 = clock.now();
        const whole = await fileCache.analyze({ root, paths: [path], lane: 'interactive' });
        out.file.latency.push(clock.now() - t0);
        out.file.tokens.push(whole.models.reduce((s, m) => s + m.inputTokens, 0));

        t0 = clock.now();
        const review = await fnCache.reviewChanges({ root, changes: [wholeFileChange(path)], lane: 'interactive' });
        out.fn.latency.push(clock.now() - t0);
        out.fn.tokens.push(review.models.reduce((s, m) => s + m.inputTokens, 0));
        out.fn.sent.push(review.changes.regionsSent);

        t0 = clock.now();
        const saved = await saveOf(path, text);
        out.incremental.latency.push(clock.now() - t0);
        out.incremental.tokens.push(saved.models.reduce((s, m) => s + m.inputTokens, 0));
        out.incremental.requests.push(saved.models.reduce((s, m) => s + m.requests, 0));
        const [mine, theirs] = [findingsOf(saved).split(' ').filter(Boolean), findingsOf(whole).split(' ').filter(Boolean)];
        const differ = [...mine.filter((x) => !theirs.includes(x)).map((x) => `incremental only ${x}`), ...theirs.filter((x) => !mine.includes(x)).map((x) => `whole only ${x}`)];
        if (differ.length === 0) out.incremental.same++;
        else out.incremental.differences.push(`${path} save ${save + 1}: ${differ.join(', ')}`);
      }
    }
  } finally {
    fileCache.dispose();
    fnCache.dispose();
    incremental.dispose();
    await rm(root, { recursive: true, force: true });
  }
  return {
    files: used,
    saves: out.file.tokens.length,
    file: { tokensMedian: median(out.file.tokens), latencyMedianMs: median(out.file.latency) },
    fn: { tokensMedian: median(out.fn.tokens), latencyMedianMs: median(out.fn.latency), sentMedian: median(out.fn.sent) },
    incremental: { tokensMedian: median(out.incremental.tokens), latencyMedianMs: median(out.incremental.latency), requestsMedian: median(out.incremental.requests), sameFindings: out.incremental.same, differences: out.incremental.differences },
  };
}
