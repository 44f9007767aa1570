/** The dispatcher lends each model's calibration to a shared ledger's window (Dispatcher.shareWindows). */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import { Dispatcher } from '../../../src/core/schedule';
import type { WindowPeers } from '../../../src/core/schedule/quotaWindow';
import { FakeModels, LIGHT, STRONG } from './fakes';

function peers(theirs: number | undefined, published: [string, number, number][], id: string): WindowPeers {
  return {
    others: () => [],
    publish: () => {},
    sharedRatio: (own, observed) => {
      published.push([id, own, observed]);
      return theirs;
    },
  };
}

describe('Dispatcher.shareWindows: the token ratio is shared per model', () => {
  it('before its own answers a model reserves by the ratio the others published, and publishes its own', () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock);
    const published: [string, number, number][] = [];
    const dispatcher = new Dispatcher({ models: [STRONG, LIGHT], providerFor: fakes.providerFor, clock, priorTokenRatio: 1.2 });
    dispatcher.shareWindows((id) => peers(id === STRONG.id ? 1.45 : undefined, published, id));
    assert.deepEqual(dispatcher.tokenRatios(), { [STRONG.id]: 1.45, [LIGHT.id]: 1.2 });
    assert.ok(published.some(([id, own, observed]) => id === STRONG.id && own === 1.2 && observed === 0), JSON.stringify(published));
    dispatcher.dispose();
  });

  it('without calibration (the benchmark\'s "no calibration" rows) nothing is borrowed', () => {
    const clock = new VirtualClock();
    const dispatcher = new Dispatcher({ models: [STRONG], providerFor: new FakeModels(clock).providerFor, clock, calibrate: false });
    dispatcher.shareWindows((id) => peers(1.45, [], id));
    assert.deepEqual(dispatcher.tokenRatios(), { [STRONG.id]: 1 });
    dispatcher.dispose();
  });
});
