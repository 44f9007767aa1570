import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../../src/core/clock';
import { FileQuotaLedger } from '../../../src/core/ledger/fileLedger';
import { MemoryLogger } from '../../../src/core/logger';
import { QuotaWindow } from '../../../src/core/schedule/quotaWindow';

const LIMIT = 10_000;

describe('file quota ledger (one machine, several instances)', () => {
  let dir: string;
  let clock: VirtualClock;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chorus-ledger-'));
    clock = new VirtualClock(1_000_000);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A window of one instance (its own ledger, as a separate process would have) on destination `d`. */
  function instance(destination = 'd', model = 'm') {
    const ledger = new FileQuotaLedger(dir, { clock });
    const window = new QuotaWindow(clock);
    window.share(ledger.window(destination, model));
    return { ledger, window };
  }

  it("admission counts another instance's reservations, settlements and their expiry", async () => {
    const a = instance();
    const b = instance();
    const r = a.window.reserve(8_000);
    assert.equal(b.window.usage().tokens, 8_000, 'b sees what a reserved');
    assert.ok(b.window.waitFor(4_000, LIMIT) > 0, 'and does not admit what would overrun the shared quota');
    assert.equal(b.window.ownUsage().tokens, 0);
    a.window.settle(r, 3_000);
    assert.equal(b.window.waitFor(4_000, LIMIT), 0, 'a settled to less: room again');
    b.window.reserve(6_000);
    assert.equal(a.window.usage().tokens, 9_000, 'and the other way round');
    await clock.advance(61_000);
    assert.equal(b.window.usage().tokens, 0, 'entries leave the window on every instance');
  });

  it("a waiting instance learns when the other one's room frees", async () => {
    const a = instance();
    const b = instance();
    a.window.reserve(LIMIT);
    await clock.advance(20_000);
    assert.equal(b.window.waitFor(1_000, LIMIT), 40_000, "b waits until a's entry leaves the window");
  });

  it('keeps destinations and models apart', () => {
    const a = instance('account-1', 'nova');
    assert.equal(instance('account-2', 'nova').window.usage().tokens + a.window.reserve(5_000).tokens, 5_000);
    assert.equal(instance('account-1', 'llama').window.usage().tokens, 0);
    assert.equal(instance('account-1', 'nova').window.usage().tokens, 5_000);
  });

  it("a stale file (a crashed instance's) is removed; garbage is not a reservation; a finished instance still counts", async () => {
    const a = instance();
    a.window.reserve(5_000);
    const folderOf = () => {
      const [destination] = readdirSync(dir);
      const [model] = readdirSync(join(dir, destination!));
      return join(dir, destination!, model!);
    };
    const folder = folderOf();
    writeFileSync(join(folder, 'garbage.json'), '{"v":1,"scale":1,"entries":[["x",5],[1,"y"],null]}');
    writeFileSync(join(folder, 'crashed.json'), JSON.stringify({ v: 1, scale: 1, entries: [[clock.now(), 4_000]] }));
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(join(folder, 'crashed.json'), old, old);
    const b = instance();
    assert.equal(b.window.usage().tokens, 5_000);
    assert.deepEqual(readdirSync(folder).filter((n) => n.startsWith('crashed')), []);
    // a's process ends: the service still counts its call for the rest of the minute, and so does b.
    assert.equal(instance().window.usage().tokens, 5_000);
    await clock.advance(61_000);
    assert.equal(b.window.usage().tokens, 0);
  });

  it('an unusable folder costs one warning and local accounting', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const logger = new MemoryLogger();
    const ledger = new FileQuotaLedger(join(dir, 'file', 'ledger'), { clock, logger });
    const window = new QuotaWindow(clock);
    window.share(ledger.window('d', 'm'));
    window.reserve(1_000);
    assert.equal(window.usage().tokens, 1_000);
    window.reserve(1_000);
    assert.equal(logger.lines.filter((l) => l.includes('cannot be used')).length, 1);
  });
});
