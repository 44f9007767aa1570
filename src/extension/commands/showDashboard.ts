/**
 * "Chorus: Show Throughput Dashboard" (also the status bar's click): the dashboard panel fed from
 * every folder's engine. Opening it loads the engines (nothing is sent), so it shows the models'
 * quotas even before the first run.
 */
import type * as vscode from 'vscode';
import type { EngineEvent } from '../../core/engine/events';
import type { RunSnapshot } from '../../core/metrics/types';
import type { DashboardSource } from '../dashboard/feed';
import { DashboardPanel } from '../dashboard/panel';
import type { Controller } from '../host/controller';
import { mergeModels } from '../status/formatStatus';

export async function showDashboard(context: vscode.ExtensionContext, controller: Controller): Promise<void> {
  DashboardPanel.show(context, await dashboardSourceOf(controller), { logger: controller.logger });
}

/** Every folder's engine, loaded first (nothing is sent): for the command and for a panel restored after a reload. */
export async function dashboardSourceOf(controller: Controller): Promise<DashboardSource> {
  await Promise.all(controller.allSessions.filter((s) => s.config).map((s) => s.getEngine().catch(() => undefined)));
  return {
    snapshot: () => mergeSnapshots(controller.snapshots),
    onEvent: (listener: (e: EngineEvent) => void) => controller.onAnyEngineEvent(listener),
  };
}

/** One folder: its snapshot as is. Several: files and models summed, batches interleaved by time. */
export function mergeSnapshots(snapshots: readonly RunSnapshot[]): RunSnapshot {
  const [first] = snapshots;
  if (snapshots.length === 1 && first) return first;
  return {
    at: Math.max(0, ...snapshots.map((s) => s.at)),
    filesTotal: snapshots.reduce((n, s) => n + s.filesTotal, 0),
    filesDone: snapshots.reduce((n, s) => n + s.filesDone, 0),
    models: mergeModels(snapshots),
    utilization: snapshots.length ? Math.max(...snapshots.map((s) => s.utilization)) : 0,
    recentBatches: snapshots.flatMap((s) => s.recentBatches).sort((a, b) => a.at - b.at).slice(-50),
  };
}
