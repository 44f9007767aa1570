/**
 * The quota ledger one machine shares without any server: every Chorus instance (a CLI run, a VS Code
 * window, each folder of a multi-root window) that sends to one destination and model writes its live
 * reservations to its own small file in a shared folder, and reads everybody else's before it admits
 * a call. So a run started right after — or during — another one on the same account waits for the
 * room the first one still holds, instead of throttling blindly.
 *
 * What it guarantees: an admission (read the others, decide, reserve, publish) is atomic across
 * processes. The scheduler reads, decides and reserves synchronously, so the read for an admission
 * takes a lock (a directory, created atomically) that the publish of the reservation releases — or
 * the end of the synchronous stretch, when the decision was to wait. A lock held longer than `lockWaitMs` (a stalled
 * or crashed holder) is not waited for: that admission goes ahead unlocked, a rare overlap the
 * scheduler's throttle handling absorbs, rather than a stall. Only token counts and times are written
 * (never code, paths or credentials), one file per instance, replaced atomically (write + rename); a
 * crashed instance's file ages out.
 */
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Reservation, WindowPeers } from '../schedule/quotaWindow';

export interface FileLedgerOptions {
  clock: Clock;
  logger?: Logger;
  /** Real ms to wait for another process's admission lock before going ahead without it. */
  lockWaitMs?: number;
  /** Real ms after which a file nobody rewrote is a crashed instance's and is removed. */
  staleMs?: number;
}

interface LedgerFile {
  v: 1;
  /** Emulated ms per real ms of the writer's clock: only instances on the same clock compare times. */
  scale: number;
  entries: [at: number, tokens: number][];
}

const DEFAULT_LOCK_WAIT_MS = 100;
const DEFAULT_STALE_MS = 5 * 60_000;
/** A lock older than this (real ms) belongs to a holder that died: it is removed. */
const LOCK_STALE_MS = 2_000;
const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/**
 * Admission locks this process holds, by folder. Instances inside one process are serialized by its
 * single thread already: they share the lock instead of waiting on it.
 */
const held = new Set<string>();

function folderName(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

function lockPath(folder: string): string {
  return join(folder, '.lock');
}

function unlock(folder: string): void {
  if (!held.delete(folder)) return;
  rmSync(lockPath(folder), { recursive: true, force: true });
}

/**
 * Takes the folder's admission lock until our next publish (or, when no reservation follows, the end
 * of this synchronous stretch); false when another process kept it longer than `waitMs`.
 */
function lockForAdmission(folder: string, waitMs: number): boolean {
  if (held.has(folder)) return true;
  const lock = lockPath(folder);
  const deadline = performance.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(lock);
      held.add(folder);
      queueMicrotask(() => unlock(folder));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
    } catch {
      /* released meanwhile */
    }
    if (performance.now() > deadline) return false;
    Atomics.wait(SLEEP, 0, 0, 1); // a synchronous 1 ms nap: admission is synchronous by design
  }
}

export class FileQuotaLedger {
  /** One id per ledger instance (a process may hold several: one per engine). */
  private readonly instance = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private failed = false;

  constructor(
    private readonly dir: string,
    private readonly options: FileLedgerOptions,
  ) {}

  /** The peers of one destination's model; `destination` is a destinationKey(). */
  /**
   * Nothing to release when an instance ends: its file stays, because the service counts its last
   * calls for a minute after it is gone, so the others must too. The entries age out, and readers
   * remove the file once it is stale.
   */
  window(destination: string, modelId: string): WindowPeers {
    const folder = join(this.dir, folderName(destination), folderName(modelId));
    const ownFile = join(folder, `${this.instance}.json`);
    const scale = Number((1 / this.options.clock.toRealMs(1)).toPrecision(9));
    const lockWait = this.options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    let created = false;
    // Created once (share() publishes at once), not on every admission read: this is the hot path.
    const ensureFolder = () => {
      if (created) return;
      mkdirSync(folder, { recursive: true });
      created = true;
    };
    /** Removed under us (`chorus cache clear`): made again on the next use, not a reason to stop sharing. */
    const removed = (err: unknown): boolean => {
      if ((err as NodeJS.ErrnoException)?.code !== 'ENOENT') return false;
      created = false;
      return true;
    };

    const readOthers = (): Reservation[] => {
      const out: Reservation[] = [];
      for (const name of readdirSync(folder)) {
        if (!name.endsWith('.json') || name === `${this.instance}.json`) continue;
        const path = join(folder, name);
        try {
          if (Date.now() - statSync(path).mtimeMs > (this.options.staleMs ?? DEFAULT_STALE_MS)) {
            rmSync(path, { force: true });
            continue;
          }
          const file = JSON.parse(readFileSync(path, 'utf8')) as LedgerFile;
          if (file.v !== 1 || file.scale !== scale || !Array.isArray(file.entries)) continue;
          for (const entry of file.entries) {
            const [at, tokens] = Array.isArray(entry) ? entry : [];
            if (Number.isFinite(at) && Number.isFinite(tokens) && tokens! > 0) out.push({ at: at!, tokens: tokens! });
          }
        } catch {
          // Replaced or removed while we read it, or written by something else: not a reservation.
        }
      }
      return out;
    };

    return {
      others: (forAdmission) => {
        if (this.failed) return [];
        try {
          ensureFolder();
          if (forAdmission) lockForAdmission(folder, lockWait);
          return readOthers();
        } catch (err) {
          if (!removed(err)) this.fail(err);
          return [];
        }
      },
      publish: (own) => {
        if (this.failed) return;
        try {
          ensureFolder();
          const body: LedgerFile = { v: 1, scale, entries: own.filter((e) => e.tokens > 0).map((e) => [e.at, e.tokens]) };
          const tmp = `${ownFile}.${randomBytes(4).toString('hex')}.tmp`;
          writeFileSync(tmp, JSON.stringify(body));
          renameSync(tmp, ownFile);
        } catch (err) {
          // Our next publish writes every live entry again.
          if (!removed(err)) this.fail(err);
        } finally {
          unlock(folder); // the reservation is visible: the next admission may read
        }
      },
    };
  }

  /** Sharing is a help, not a requirement: an unusable folder costs one warning and local accounting. */
  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const code = (err as NodeJS.ErrnoException)?.code ?? String(err);
    this.options.logger?.warn(`the shared quota ledger at ${this.dir} cannot be used (${code}); quotas are counted for this process only`);
  }
}
