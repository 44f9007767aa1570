/**
 * `npm run bench:outside`: Chorus measured from outside, the way a new account sees it. Each scenario
 * starts the emulator in a process of its own (small quotas, the real tokenizer), runs one or two
 * `chorus analyze` processes against it, and reads only the emulator's request log: whether every file
 * was analyzed, how many windows the run took against the fewest its tokens allow, throttles, and
 * truncated answers (each one re-sends a batch and, at small quotas, can cost a whole window).
 * Nothing of the engine's own counts is used. Never writes bench/results.
 *
 *   npm run bench:outside -- [--scale 4] [--codebase demo/workspace] [--scenarios small,unreadable,two-runs,rpm]
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EmulatorConfig, EmulatorRequestRecord } from '../../src/emulator';
import { startEmulatorProcess } from '../../test/support/emulatorProcess';
import { runCli, type ClientResult } from '../account/clients';

const NOVA = 'us.amazon.nova-pro-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';
const REPO = resolve(__dirname, '..', '..');

interface Scenario {
  key: string;
  title: string;
  emulator: EmulatorConfig;
  /** The models as the config file names them: with quotas (told), or none (read from the account, else the defaults). */
  told?: { id: string; tokensPerMinute: number }[];
  clients: number;
}

const SMALL = [{ id: NOVA, tokensPerMinute: 6_000 }, { id: LLAMA, tokensPerMinute: 4_000, toolChoice: ['auto' as const] }];

const SCENARIOS: Scenario[] = [
  { key: 'small', title: 'Small quotas (6k + 4k tokens/min), read from Service Quotas', emulator: { models: SMALL }, clients: 1 },
  { key: 'unreadable', title: 'Small quotas, Service Quotas not readable (the defaults, 16× too high, assumed)', emulator: { models: SMALL, serviceQuotas: { access: 'denied' } }, clients: 1 },
  { key: 'two-runs', title: 'Two `chorus analyze` at once on one account (one cache folder)', emulator: { models: SMALL }, clients: 2 },
  { key: 'rpm', title: 'Nova Pro allows 4 requests/min, not configured', emulator: { models: [{ ...SMALL[0]!, requestsPerMinute: 4 }, SMALL[1]!] }, clients: 1 },
];

export interface OutsideResult {
  key: string;
  title: string;
  files: number;
  analyzed: number;
  notAnalyzed: ClientResult['notAnalyzed'];
  requests: number;
  throttled: number;
  truncated: number;
  chargedTokens: number;
  quotaPerMinute: number;
  makespanMs: number;
  /** Minutes (60 s windows from the first arrival) in which calls started. */
  windowsUsed: number;
}

/** The fewest 60 s windows the charged tokens need (a sliding window admits a quota's worth per minute). */
export function fewestWindows(r: Pick<OutsideResult, 'chargedTokens' | 'quotaPerMinute'>): number {
  return Math.max(1, Math.ceil(r.chargedTokens / r.quotaPerMinute));
}

async function runScenario(s: Scenario, codebase: string, scale: number): Promise<OutsideResult> {
  const emulator = await startEmulatorProcess(s.emulator, scale);
  const dir = mkdtempSync(join(tmpdir(), `chorus-outside-${s.key}-`));
  try {
    const config = join(dir, 'chorus.json');
    writeFileSync(config, JSON.stringify({ endpoint: emulator.url, ...(s.told ? { models: s.told } : {}) }));
    // Every client its own copy of the workspace (no shared results), all one cache folder (one file ledger, as on one machine).
    const roots = Array.from({ length: s.clients }, (_, i) => {
      const root = join(dir, `ws${i}`);
      cpSync(codebase, root, { recursive: true });
      return root;
    });
    const results = await Promise.all(roots.map((root) => runCli(root, config, join(dir, 'cache'), scale)));
    const requests = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as EmulatorRequestRecord[];
    const first = Math.min(...requests.map((r) => r.time));
    const last = Math.max(...requests.map((r) => r.endTime ?? r.time));
    const lastArrival = Math.max(...requests.map((r) => r.time));
    return {
      key: s.key,
      title: s.title,
      files: results.reduce((n, r) => n + r.analyzed + r.notAnalyzed.length, 0),
      analyzed: results.reduce((n, r) => n + r.analyzed, 0),
      notAnalyzed: results.flatMap((r) => r.notAnalyzed.filter((f) => f.status !== 'skipped')),
      requests: requests.length,
      throttled: requests.filter((r) => r.outcome === 'throttled').length,
      truncated: requests.filter((r) => r.stopReason === 'max_tokens').length,
      chargedTokens: requests.reduce((n, r) => n + r.chargedTokens, 0),
      quotaPerMinute: s.emulator.models.reduce((n, m) => n + m.tokensPerMinute, 0),
      makespanMs: requests.length > 0 ? last - first : 0,
      windowsUsed: requests.length > 0 ? Math.floor((lastArrival - first) / 60_000) + 1 : 0,
    };
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(r: OutsideResult): string {
  const failed = r.notAnalyzed.length > 0 ? ` (${r.notAnalyzed.length} not analyzed: ${r.notAnalyzed[0]!.reason})` : '';
  return `| ${r.title} | ${r.analyzed} / ${r.analyzed + r.notAnalyzed.length}${failed} | ${(r.makespanMs / 1000).toFixed(0)} s | ${r.windowsUsed} / ${fewestWindows(r)} | ${r.throttled}/${r.requests} | ${r.truncated} | ${r.chargedTokens.toLocaleString('en-US')} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scale: { type: 'string' }, codebase: { type: 'string' }, scenarios: { type: 'string' } } });
  const scale = Number(values.scale ?? 4);
  if (!(scale > 0)) throw new TypeError(`--scale: expected a positive number, got ${JSON.stringify(values.scale)}`);
  const codebase = resolve(REPO, values.codebase ?? 'demo/workspace');
  const keys = values.scenarios?.split(',').map((k) => k.trim());
  const unknown = keys?.find((k) => !SCENARIOS.some((s) => s.key === k));
  if (unknown) throw new TypeError(`--scenarios: expected some of ${SCENARIOS.map((s) => s.key).join(', ')}, got ${JSON.stringify(unknown)}`);
  const lines = [
    `Codebase ${codebase}; emulator in its own process at ${scale}× (real tokenizer); \`chorus analyze\` as CLI processes.`,
    'Windows: the minutes (from the first call) in which calls started, against the fewest a sliding 60 s window allows for the tokens charged (each window a quota\'s worth).',
    '',
    '| Scenario | Files analyzed | Makespan | Windows used / fewest | Throttled | Truncated | Tokens charged |',
    '|:--|--:|--:|--:|--:|--:|--:|',
  ];
  for (const s of SCENARIOS.filter((x) => !keys || keys.includes(x.key))) {
    process.stderr.write(`bench:outside: ${s.key}…\n`);
    lines.push(row(await runScenario(s, codebase, scale)));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:outside: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
