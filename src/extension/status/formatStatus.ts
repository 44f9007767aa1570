/**
 * The status bar's text from the engines' snapshots, pure: idle, queued, running with per-model
 * counts, paused, restricted (untrusted), and a warning state when a model is throttled or failing.
 */
import type { ModelSnapshot, RunSnapshot } from '../../core/metrics/types';
import { mergeSharedUsage } from '../../core/metrics/shared';
import { blockerView, type Blocker, type StatusCommand } from './blocker';

export interface StatusInput {
  trusted: boolean;
  paused: boolean;
  /** Files waiting in the coalescer (not yet handed to the engine). */
  waiting: number;
  snapshots: readonly RunSnapshot[];
  /** Runs in flight across folders. */
  activeRuns: number;
  /** Set when a model was throttled or failed recently; says which and why. */
  warning?: string;
  /** What keeps Chorus from analyzing anything (credentials, "Don't Allow", unreachable, settings). */
  blocked?: Blocker;
}

export interface StatusView {
  text: string;
  tooltip: string;
  state: 'idle' | 'queued' | 'running' | 'paused' | 'restricted' | 'blocked';
  warning: boolean;
  /** The click: the dashboard, or what fixes the blocker. */
  command: StatusCommand;
}

const DASHBOARD: StatusCommand = { command: 'chorus.showDashboard', title: 'Show Throughput Dashboard' };

export function formatStatus(input: StatusInput): StatusView {
  const models = mergeModels(input.snapshots);
  const warning = input.warning !== undefined;
  const warnText = warning ? `\n\n$(warning) ${input.warning}` : '';
  if (!input.trusted) {
    return { text: '$(shield) Chorus', tooltip: 'Chorus is off: this workspace is not trusted, so no code is sent.\n\nClick to manage workspace trust.', state: 'restricted', warning: false, command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' } };
  }
  const perModel = models
    .filter((m) => m.inFlight + m.queued.interactive + m.queued.background > 0)
    .map((m) => `${m.label || m.id} ${m.inFlight}▶ ${m.queued.interactive + m.queued.background}⏸`);
  const queued = input.waiting + models.reduce((n, m) => n + m.queued.interactive + m.queued.background, 0);
  const running = input.activeRuns > 0;
  const icon = warning ? '$(warning)' : running ? '$(sync~spin)' : queued > 0 ? '$(clock)' : '$(check)';
  const done = input.snapshots.reduce((n, s) => n + s.filesDone, 0);
  const total = input.snapshots.reduce((n, s) => n + s.filesTotal, 0);
  // A quota shared through the ledger: the whole account's use beside this window's (issue 14.7).
  const shared = models.flatMap((m) => (m.shared ? [`${m.label || m.id}: account ${formatCount(m.shared.accountTpm)} tok/min · this window ${formatCount(m.shared.ownTpm)}`] : []));
  const details = `${[...perModel, ...shared].map((line) => `${line}\n`).join('')}Click to open the throughput dashboard.${warnText}`;

  if (input.paused) {
    return { text: `$(debug-pause) Chorus paused`, tooltip: `Automatic analysis is paused.\n${details}`, state: 'paused', warning, command: DASHBOARD };
  }
  if (running) {
    const progress = total > 0 ? ` ${done}/${total}` : '';
    const counts = models
      .filter((m) => m.inFlight + m.queued.interactive + m.queued.background > 0)
      .map((m) => ` · ${shortLabel(m)} ${m.inFlight + m.queued.interactive + m.queued.background}`)
      .join('');
    return { text: `${icon} Chorus${progress}${counts}`, tooltip: `Chorus is analyzing.\n${details}`, state: 'running', warning, command: DASHBOARD };
  }
  // Not "idle": nothing would be analyzed, and the user is told why and what a click does about it.
  if (input.blocked) {
    const view = blockerView(input.blocked);
    return { ...view, state: 'blocked', warning: true };
  }
  if (queued > 0) {
    return { text: `${icon} Chorus ${queued} queued`, tooltip: `Waiting to analyze ${queued} file(s).\n${details}`, state: 'queued', warning, command: DASHBOARD };
  }
  return { text: `${icon} Chorus`, tooltip: `Chorus is idle.\n${details}`, state: 'idle', warning, command: DASHBOARD };
}

/** `Nova Pro`, or the id's most telling part (`nova-pro-v1:0` → `nova-pro`). */
function shortLabel(m: ModelSnapshot): string {
  if (m.label) return m.label;
  const last = m.id.split('.').pop() ?? m.id;
  return last.replace(/-v\d+(:\d+)?$/, '').replace(/-instruct$/, '');
}

/** One row per model id across folders (each folder has its own engine, the quotas are shared). */
export function mergeModels(snapshots: readonly RunSnapshot[]): ModelSnapshot[] {
  const byId = new Map<string, ModelSnapshot>();
  for (const snap of snapshots) {
    for (const m of snap.models) {
      const seen = byId.get(m.id);
      byId.set(
        m.id,
        seen
          ? {
              ...seen,
              inFlight: seen.inFlight + m.inFlight,
              queued: { interactive: seen.queued.interactive + m.queued.interactive, background: seen.queued.background + m.queued.background },
              tokensPerMinute: seen.tokensPerMinute + m.tokensPerMinute,
              throttles: seen.throttles + m.throttles,
              errors: seen.errors + m.errors,
              ...(seen.shared || m.shared ? { shared: mergeSharedUsage(seen.shared, m.shared) } : {}),
            }
          : m,
      );
    }
  }
  return [...byId.values()];
}

/** `Nova Pro 42k tok/min · Llama 3.3 70B 18k tok/min`, for the progress notification. */
export function formatThroughput(models: readonly ModelSnapshot[]): string {
  return models
    .filter((m) => m.tokensPerMinute > 0 || m.inFlight > 0)
    .map((m) => `${m.label || m.id} ${formatCount(m.tokensPerMinute)} tok/min`)
    .join(' · ');
}

export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(Math.round(n));
}
