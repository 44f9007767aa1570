/**
 * ModelQueue's one asynchronous step: with peers that confirm (a Redis ledger), an admission reserved
 * locally waits for the shared window's answer; a refusal takes the reservation back and the entry
 * waits at the head of its lane — in order, nothing lost. Peers here are an in-memory stand-in for
 * "the rest of the account", answering on a later tick as a server would.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { ModelQueue, type QueueEntry } from '../../../src/core/schedule/modelQueue';
import type { Reservation, WindowPeers } from '../../../src/core/schedule/quotaWindow';

const MODEL: ModelConfig = { id: 'm', tokensPerMinute: 10_000, maxKbPerBatch: 100, minComplexity: 0 };

/** A shared window somebody else already holds `foreign` tokens of, from time 0. */
function sharedAccount(clock: VirtualClock, foreign: number) {
  const held: Reservation[] = [{ at: 0, tokens: foreign }];
  const asked: number[] = [];
  const peers: WindowPeers = {
    others: () => [],
    publish: () => {},
    confirm: async (r, tokenLimit) => {
      await Promise.resolve(); // answered later, like a round trip
      asked.push(r.tokens);
      const live = held.filter((e) => e.at > clock.now() - 60_000);
      const used = live.reduce((s, e) => s + e.tokens, 0);
      if (used + r.tokens <= tokenLimit) {
        held.push(r);
        return 0;
      }
      return Math.max(1, live[0]!.at + 60_000 - clock.now());
    },
  };
  return { peers, held, asked };
}

function entry(seq: number, tokens: number, started: string[]): QueueEntry {
  return { lane: 'interactive', seq, need: () => tokens, start: () => started.push(`e${seq}`) };
}

describe('ModelQueue with a confirming ledger', () => {
  it('a refused confirm puts the entry back at the head: it starts, in order, once the account has room', async () => {
    const clock = new VirtualClock(1_000);
    const q = new ModelQueue(MODEL, { clock, random: () => 0.5 });
    const account = sharedAccount(clock, 8_000); // another machine holds 8,000 of the 10,000
    q.window.share(account.peers);
    const started: string[] = [];
    q.enqueue(entry(1, 3_000, started));
    q.enqueue(entry(2, 1_000, started));
    await clock.advance(1);
    // Locally the window looked empty; the account said no, so nothing started and nothing overtook.
    assert.deepEqual(started, []);
    assert.equal(q.inFlight, 0);
    assert.equal(q.queued('interactive'), 2);
    assert.equal(q.window.ownUsage().tokens, 0, 'the refused reservation was taken back');
    await clock.advance(60_000); // the foreign 8,000 leave the window
    assert.deepEqual(started, ['e1', 'e2']);
    assert.equal(q.inFlight, 2);
    assert.deepEqual(account.held.slice(1).map((r) => r.tokens), [3_000, 1_000]);
  });

  it('one confirmation at a time: the second waits for the first answer', async () => {
    const clock = new VirtualClock(0);
    const q = new ModelQueue(MODEL, { clock, random: () => 0.5 });
    const account = sharedAccount(clock, 0);
    q.window.share(account.peers);
    const started: string[] = [];
    q.enqueue(entry(1, 1_000, started));
    q.enqueue(entry(2, 1_000, started));
    assert.deepEqual(started, [], 'not started before the ledger answered');
    await clock.advance(1);
    assert.deepEqual(started, ['e1', 'e2']);
    assert.deepEqual(account.asked, [1_000, 1_000]);
  });

  it('an entry withdrawn while its confirm is out (the model left the run) is handed back by drain, not started', async () => {
    const clock = new VirtualClock(0);
    const q = new ModelQueue(MODEL, { clock, random: () => 0.5 });
    const account = sharedAccount(clock, 0);
    q.window.share(account.peers);
    const started: string[] = [];
    const e1 = entry(1, 1_000, started);
    q.enqueue(e1);
    assert.deepEqual(q.drain(), [e1]);
    await clock.advance(1);
    assert.deepEqual(started, []);
    assert.equal(q.inFlight, 0);
    assert.equal(q.window.ownUsage().tokens, 0, 'its confirmed reservation was released');
  });

  it('without a confirming ledger, admission stays synchronous (the default path)', () => {
    const clock = new VirtualClock(0);
    const q = new ModelQueue(MODEL, { clock, random: () => 0.5 });
    const started: string[] = [];
    q.enqueue(entry(1, 1_000, started));
    assert.deepEqual(started, ['e1']);
  });
});
