/**
 * The extension host tells the outer runner things by creating files (ready, results). Polling
 * for them is simple and survives anything the host does; the deadline only guards against a
 * host that never answers, it is not a performance assertion.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitForFile(file: string, failure: string, deadlineMs = 5 * 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${failure} within ${deadlineMs / 1000} s (no ${file})`);
    await sleep(250);
  }
}
