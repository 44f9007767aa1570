/**
 * The account's use of a shared quota beside this instance's, as the dispatcher's snapshot carries it:
 * two dispatchers (two VS Code windows on one account) share each model's window through an
 * in-memory ledger, and each one's snapshot counts both.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import { mergeSharedUsage, sharedQuotaUsage } from '../../../src/core/metrics';
import { formatCount, formatStatus, mergeModels } from '../../../src/extension/status/formatStatus';
import { Dispatcher } from '../../../src/core/schedule';
import type { Reservation, WindowPeers } from '../../../src/core/schedule/quotaWindow';
import { FakeModels, makeBatch, seeded, STRONG } from '../schedule/fakes';

/** One account's ledger in memory: each holder publishes its entries and reads the others'. */
class MemoryLedger {
  private readonly held = new Map<string, readonly Reservation[]>();
  peersOf(holder: string): WindowPeers {
    return {
      others: () => [...this.held].filter(([h]) => h !== holder).flatMap(([, entries]) => entries),
      publish: (own) => void this.held.set(holder, own.map((r) => ({ ...r }))),
    };
  }
}

function instance(clock: VirtualClock) {
  const fakes = new FakeModels(clock, 2_000);
  return new Dispatcher({ models: [STRONG], providerFor: fakes.providerFor, clock, random: seeded(), spillover: false, priorTokenRatio: 1 });
}

describe('shared quota in the metrics snapshot', () => {
  it('is absent while the quota is not shared (the account total is unknown then)', async () => {
    const clock = new VirtualClock();
    const alone = instance(clock);
    const done = alone.submit(makeBatch('a', 'strong'));
    await clock.runAll();
    await done;
    const m = alone.snapshot()[0]!;
    assert.ok(m.inputTokens > 0);
    assert.equal(m.shared, undefined);
  });

  it('carries the account total and this instance share per model once the windows are shared', async () => {
    const clock = new VirtualClock();
    const ledger = new MemoryLedger();
    const one = instance(clock);
    const two = instance(clock);
    one.shareWindows(() => ledger.peersOf('one'));
    two.shareWindows(() => ledger.peersOf('two'));
    const results = [one.submit(makeBatch('a', 'strong', { kb: 8 })), two.submit(makeBatch('b', 'strong', { kb: 2 }))];
    await clock.advance(10_000);
    await Promise.all(results);

    const [a, b] = [one.snapshot()[0]!, two.snapshot()[0]!];
    const chargedA = a.inputTokens + a.outputTokens;
    const chargedB = b.inputTokens + b.outputTokens;
    assert.ok(chargedA > chargedB * 2, 'the first instance sent the larger batch');
    assert.deepEqual(a.shared, { accountTpm: chargedA + chargedB, ownTpm: chargedA });
    assert.deepEqual(b.shared, { accountTpm: chargedA + chargedB, ownTpm: chargedB });

    // A minute (and the guard) later the window holds nothing of either.
    await clock.advance(120_000);
    assert.deepEqual(one.snapshot()[0]!.shared, { accountTpm: 0, ownTpm: 0 });
  });

  it('never shows the account below this instance when the ledger lags behind our own entries', () => {
    assert.deepEqual(sharedQuotaUsage({ usage: () => ({ tokens: 900 }), ownUsage: () => ({ tokens: 1200.4 }) }), { accountTpm: 1200, ownTpm: 1200 });
  });

  it('two folders of one window on the account: this window’s share is both of theirs, the account the fuller reading', async () => {
    const clock = new VirtualClock();
    const ledger = new MemoryLedger();
    const [folderA, folderB, otherWindow] = [instance(clock), instance(clock), instance(clock)];
    folderA.shareWindows(() => ledger.peersOf('a'));
    folderB.shareWindows(() => ledger.peersOf('b'));
    otherWindow.shareWindows(() => ledger.peersOf('other'));
    const results = [folderA.submit(makeBatch('a', 'strong')), folderB.submit(makeBatch('b', 'strong')), otherWindow.submit(makeBatch('c', 'strong', { kb: 6 }))];
    await clock.advance(10_000);
    await Promise.all(results);
    const snap = (d: Dispatcher) => ({ at: clock.now(), filesTotal: 0, filesDone: 0, utilization: 0, recentBatches: [], models: d.snapshot() });
    const [merged] = mergeModels([snap(folderA), snap(folderB)]);
    const charged = (d: Dispatcher) => d.snapshot()[0]!.inputTokens + d.snapshot()[0]!.outputTokens;
    assert.deepEqual(merged!.shared, { accountTpm: charged(folderA) + charged(folderB) + charged(otherWindow), ownTpm: charged(folderA) + charged(folderB) });
    assert.equal(mergeSharedUsage(undefined, { accountTpm: 5, ownTpm: 1 })?.accountTpm, 5);
  });

  it('the status bar’s tooltip names the account’s use of a shared quota beside this window’s', async () => {
    const clock = new VirtualClock();
    const ledger = new MemoryLedger();
    const [mine, theirs] = [instance(clock), instance(clock)];
    mine.shareWindows(() => ledger.peersOf('mine'));
    theirs.shareWindows(() => ledger.peersOf('theirs'));
    const results = [mine.submit(makeBatch('a', 'strong', { kb: 40 })), theirs.submit(makeBatch('b', 'strong', { kb: 80 }))];
    await clock.advance(10_000);
    await Promise.all(results);
    const m = mine.snapshot()[0]!;
    const view = formatStatus({ trusted: true, paused: false, waiting: 0, activeRuns: 0, snapshots: [{ at: clock.now(), filesTotal: 0, filesDone: 0, utilization: 0, recentBatches: [], models: [m] }] });
    assert.ok(m.shared && m.shared.accountTpm > m.shared.ownTpm * 2);
    assert.match(view.tooltip, new RegExp(`strong: account ${formatCount(m.shared.accountTpm)} tok/min · this window ${formatCount(m.shared.ownTpm)}\n`));
    const alone = formatStatus({ trusted: true, paused: false, waiting: 0, activeRuns: 0, snapshots: [{ at: 0, filesTotal: 0, filesDone: 0, utilization: 0, recentBatches: [], models: [{ ...m, shared: undefined }] }] });
    assert.doesNotMatch(alone.tooltip, /account/);
  });
});

