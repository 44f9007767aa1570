/**
 * What the panel sends the page, decided without `vscode` (so it is unit-tested): the engine's
 * metrics, validated, batched into at most one message per `flush()` (the panel calls it every
 * second), nothing before the page's `ready`, and a bounded backlog so a page that was hidden (VS
 * Code discards hidden webviews) catches up from the sample it restored (`ready.since`).
 */
import type { EngineEvent } from '../../core/engine/events';
import type { Logger } from '../../core/logger';
import type { RunSnapshot } from '../../core/metrics/types';
import {
  type Frame, type HostMessage, PROTOCOL_LIMITS, type RunInfo, validatePageMessage, validateRunSnapshot,
} from '../../core/webviewProtocol';

export interface DashboardSource {
  snapshot(): RunSnapshot;
  onEvent(listener: (e: EngineEvent) => void): () => void;
}

export interface FeedOptions {
  /** Frames kept for a page that comes back (default 900: 15 minutes at one per second). */
  backlog?: number;
  logger?: Pick<Logger, 'warn'>;
}

/** Used as the run id of the snapshot taken when the panel opens, before any event named the run. */
const CURRENT = 'current';

export class DashboardFeed {
  private readonly backlog: Frame[] = [];
  private pending: Frame[] = [];
  private run: RunInfo | null = null;
  private runChanged = false;
  private ready = false;
  private readonly unsubscribe: () => void;
  private readonly capacity: number;

  constructor(source: DashboardSource, private readonly post: (message: HostMessage) => void, private readonly options: FeedOptions = {}) {
    this.capacity = Math.min(options.backlog ?? 900, PROTOCOL_LIMITS.framesPerMessage);
    this.unsubscribe = source.onEvent((event) => this.onEngineEvent(event));
    const now = source.snapshot();
    if (now.models.length > 0) this.addFrame(CURRENT, now);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** A message from the page: anything but a valid PageMessage is logged and ignored. */
  receive(raw: unknown): void {
    const message = validatePageMessage(raw);
    if (!message.ok) return this.options.logger?.warn(`Dashboard: ignored a message from the page: ${message.error}`);
    if (message.value.type === 'protocol-error') {
      return this.options.logger?.warn(`Dashboard: the page rejected a message: ${message.value.detail}`);
    }
    const since = message.value.since;
    this.ready = true;
    this.pending = [];
    this.runChanged = false;
    const frames = since === null ? this.backlog : this.backlog.filter((f) => f.snapshot.at > since);
    this.post({ type: 'update', run: this.run, frames: [...frames] });
  }

  /** Posts what arrived since the last flush, if anything did. The panel calls this once a second. */
  flush(): void {
    if (!this.ready || (this.pending.length === 0 && !this.runChanged)) return;
    const frames = this.pending;
    this.pending = [];
    this.runChanged = false;
    this.post({ type: 'update', run: this.run, frames });
  }

  /** The page was discarded (panel hidden): wait for its next `ready`. */
  pageGone(): void {
    this.ready = false;
    this.pending = [];
  }

  dispose(): void {
    this.unsubscribe();
    this.ready = false;
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.type === 'run-started') this.setRun({ id: event.runId, state: 'running', outcomes: noOutcomes() });
    else if (event.type === 'run-finished') this.setRun({ ...this.runNamed(event.runId), state: event.cancelled ? 'cancelled' : 'finished' });
    else if (event.type === 'file-done') {
      // So a cancelled run reads as "98 analyzed · 207 skipped", not as 305 files done.
      const run = this.runNamed(event.runId);
      const outcomes = { ...(run.outcomes ?? noOutcomes()) };
      outcomes[event.outcome.status]++;
      if (event.outcome.status === 'analyzed' && event.outcome.cached) outcomes.cached++;
      this.setRun({ ...run, outcomes });
    } else if (event.type === 'metrics') {
      const checked = validateRunSnapshot(event.snapshot);
      if (!checked.ok) return this.options.logger?.warn(`Dashboard: dropped an invalid metrics snapshot: ${checked.error}`);
      if (this.run?.id !== event.runId) this.setRun({ id: event.runId, state: 'running' });
      this.addFrame(event.runId, checked.value);
    }
  }

  /** The current run if it is `runId`, else a fresh one by that id (its start was not seen). */
  private runNamed(runId: string): RunInfo {
    return this.run?.id === runId ? this.run : { id: runId, state: 'running' };
  }

  private setRun(run: RunInfo): void {
    this.run = run;
    this.runChanged = true;
  }

  private addFrame(runId: string, snapshot: RunSnapshot): void {
    // Only the newest frame's batch list is ever shown, and only the oldest frame's tokens/min
    // history is used (the page backfills its charts from it when it starts empty): the rest drop them.
    const previous = this.backlog.at(-1);
    if (previous) this.backlog[this.backlog.length - 1] = slim(previous, { keepHistory: this.backlog.length === 1, keepBatches: false });
    const frame = slim({ runId, snapshot }, { keepHistory: this.backlog.length === 0, keepBatches: true });
    this.backlog.push(frame);
    if (this.backlog.length > this.capacity) this.backlog.shift();
    if (this.ready) {
      this.pending.push(frame);
      if (this.pending.length > PROTOCOL_LIMITS.framesPerMessage) this.pending.shift();
    }
  }
}

function slim(frame: Frame, keep: { keepHistory: boolean; keepBatches: boolean }): Frame {
  const snapshot = { ...frame.snapshot };
  if (!keep.keepBatches) snapshot.recentBatches = [];
  if (!keep.keepHistory) snapshot.models = snapshot.models.map(({ tpmSeries: _, ...model }) => model);
  return { runId: frame.runId, snapshot };
}

const noOutcomes = () => ({ analyzed: 0, cached: 0, skipped: 0, failed: 0 });
