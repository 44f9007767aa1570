import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/engine/events';
import { MemoryLogger } from '../../../src/core/logger';
import type { HostMessage } from '../../../src/core/webviewProtocol';
import { DashboardFeed, type DashboardSource } from '../../../src/extension/dashboard/feed';
import { recordRun, TWO_MODELS } from '../../integration/dashboard/series';

class FakeSource implements DashboardSource {
  listeners = new Set<(e: EngineEvent) => void>();
  constructor(private readonly current = recordRun(TWO_MODELS, 1)[0]!) {}
  snapshot() {
    return this.current;
  }
  onEvent(listener: (e: EngineEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: EngineEvent) {
    for (const l of this.listeners) l(event);
  }
}

const series = recordRun(TWO_MODELS, 30);

function setup(options: { backlog?: number } = {}) {
  const source = new FakeSource();
  const posted: HostMessage[] = [];
  const logger = new MemoryLogger();
  const feed = new DashboardFeed(source, (m) => posted.push(m), { ...options, logger });
  const metrics = (i: number, runId = 'r1') => source.emit({ type: 'metrics', runId, snapshot: series[i]! });
  return { source, posted, logger, feed, metrics };
}

describe('DashboardFeed (the host side of the dashboard)', () => {
  it('posts nothing before the page says ready, then the backlog with the run state', () => {
    const { source, posted, feed, metrics } = setup();
    source.emit({ type: 'run-started', runId: 'r1', files: 600, lane: 'background' });
    metrics(1);
    metrics(2);
    feed.flush();
    assert.equal(posted.length, 0);
    feed.receive({ type: 'ready', since: null });
    assert.equal(posted.length, 1);
    const first = posted[0]!;
    assert.deepEqual(first.run, { id: 'r1', state: 'running', outcomes: { analyzed: 0, cached: 0, skipped: 0, failed: 0 } });
    // the snapshot taken at open, then the two metrics events
    assert.deepEqual(first.frames.map((f) => f.snapshot.at), [series[0]!.at, series[1]!.at, series[2]!.at]);
    assert.equal(first.frames[0]!.snapshot.recentBatches.length, 0, 'older backlog frames drop their batch lists');
    assert.ok(first.frames[2]!.snapshot.recentBatches.length > 0, 'the newest keeps its batches');
  });

  it('counts how the run’s files left it, so a cancelled run does not read as all done', () => {
    const { source, posted, feed } = setup();
    feed.receive({ type: 'ready', since: null });
    source.emit({ type: 'run-started', runId: 'r2', files: 5, lane: 'background' });
    const done = (path: string, status: 'analyzed' | 'skipped' | 'failed', cached = false) =>
      source.emit({ type: 'file-done', runId: 'r2', outcome: { path, status, findings: [], ...(cached ? { cached } : {}) } });
    done('a.ts', 'analyzed');
    done('b.ts', 'analyzed', true);
    done('c.ts', 'failed');
    done('d.ts', 'skipped');
    done('e.ts', 'skipped');
    source.emit({ type: 'run-finished', runId: 'r2', cancelled: true });
    feed.flush();
    assert.deepEqual(posted.at(-1)!.run, { id: 'r2', state: 'cancelled', outcomes: { analyzed: 2, cached: 1, skipped: 2, failed: 1 } });
    // A file of a run whose start this feed never saw starts its count there.
    source.emit({ type: 'file-done', runId: 'r3', outcome: { path: 'x', status: 'skipped', findings: [] } });
    feed.flush();
    assert.deepEqual(posted.at(-1)!.run, { id: 'r3', state: 'running', outcomes: { analyzed: 0, cached: 0, skipped: 1, failed: 0 } });
  });

  it('batches everything between two flushes into one message', () => {
    const { posted, feed, metrics } = setup();
    feed.receive({ type: 'ready', since: null });
    posted.length = 0;
    metrics(1);
    metrics(2);
    metrics(3);
    feed.flush();
    feed.flush(); // nothing new: nothing posted
    assert.equal(posted.length, 1);
    assert.deepEqual(posted[0]!.frames.map((f) => f.snapshot.at), [series[1]!.at, series[2]!.at, series[3]!.at]);
  });

  it('sends a returning page only what is newer than what it restored', () => {
    const { posted, feed, metrics } = setup();
    feed.receive({ type: 'ready', since: null });
    for (let i = 1; i < 10; i++) metrics(i);
    feed.flush();
    feed.pageGone();
    metrics(10);
    metrics(11);
    feed.flush();
    const before = posted.length;
    feed.receive({ type: 'ready', since: series[8]!.at });
    assert.equal(posted.length, before + 1);
    assert.deepEqual(posted.at(-1)!.frames.map((f) => f.snapshot.at), [series[9]!.at, series[10]!.at, series[11]!.at]);
  });

  it('keeps a bounded backlog', () => {
    const { posted, feed, metrics } = setup({ backlog: 5 });
    for (let i = 1; i < 20; i++) metrics(i);
    feed.receive({ type: 'ready', since: null });
    assert.deepEqual(posted[0]!.frames.map((f) => f.snapshot.at), series.slice(15, 20).map((s) => s.at));
  });

  it('reports a finished run even when no new metrics came', () => {
    const { source, posted, feed } = setup();
    feed.receive({ type: 'ready', since: null });
    source.emit({ type: 'run-finished', runId: 'r1', cancelled: true });
    feed.flush();
    assert.deepEqual(posted.at(-1), { type: 'update', run: { id: 'r1', state: 'cancelled' }, frames: [] });
  });

  it('logs and ignores invalid page messages and invalid engine snapshots', () => {
    const { source, posted, logger, feed } = setup();
    feed.receive({ type: 'ready', since: 'yesterday' });
    feed.receive({ type: 'run-command', command: 'rm' });
    assert.equal(posted.length, 0);
    feed.receive({ type: 'protocol-error', detail: 'update.frames: expected an array' });
    feed.receive({ type: 'ready', since: null });
    source.emit({ type: 'metrics', runId: 'r1', snapshot: { ...series[1]!, utilization: NaN } });
    feed.flush();
    assert.equal(posted.length, 1);
    assert.equal(logger.lines.length, 4);
    assert.match(logger.lines[0]!, /ignored a message from the page: ready\.since/);
    assert.match(logger.lines[2]!, /the page rejected a message: update\.frames/);
    assert.match(logger.lines[3]!, /dropped an invalid metrics snapshot: snapshot\.utilization/);
  });

  it('unsubscribes from the engine when disposed', () => {
    const { source, feed } = setup();
    assert.equal(source.listeners.size, 1);
    feed.dispose();
    assert.equal(source.listeners.size, 0);
  });

  it('sends the engine’s tokens/min history once, on the oldest frame, for the page to backfill', () => {
    const history = (i: number) => ({ ...series[i]!, models: series[i]!.models.map((m) => ({ ...m, tpmSeries: [{ at: series[i]!.at, tpm: 1 }] })) });
    const source = new FakeSource(history(0));
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed(source, (m) => posted.push(m));
    for (let i = 1; i < 4; i++) source.emit({ type: 'metrics', runId: 'r1', snapshot: history(i) });
    feed.receive({ type: 'ready', since: null });
    source.emit({ type: 'metrics', runId: 'r1', snapshot: history(4) });
    feed.flush();
    const withHistory = posted.flatMap((m) => m.frames).map((f) => f.snapshot.models.some((m) => m.tpmSeries !== undefined));
    assert.deepEqual(withHistory, [true, false, false, false, false]);
  });
});
