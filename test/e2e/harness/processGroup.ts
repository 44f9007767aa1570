/**
 * Child processes that must never outlive the test run. code-server forks an extension host, a
 * pty host and file watchers; starting it as the leader of its own process group lets us end
 * all of them with one signal to the group, even if the test that started it threw.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const live = new Set<ChildProcess>();

export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** SIGTERM to the whole group, SIGKILL to what is left after a grace period. */
export async function killGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((done) => child.once('exit', () => done()));
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((done) => { timer = setTimeout(done, graceMs); });
  await Promise.race([exited, gaveUp]);
  clearTimeout(timer);
  // The leader may be gone while its forks linger: the group gets a SIGKILL either way.
  signalGroup(child, 'SIGKILL');
  live.delete(child);
}

// Last line of defence: an exiting runner (normal end, crash, Ctrl-C) takes its groups along.
process.on('exit', () => {
  for (const child of live) signalGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
}
