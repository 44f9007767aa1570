/**
 * The emulator in a process of its own, for tests that count throttles between several clients.
 *
 * Bedrock does not share an event loop with its clients. An emulator started inside the test process
 * does: while an engine in that process discovers, redacts or plans, the emulator's clock reads late
 * and requests are counted seconds (of a scaled clock) after the clients stamped them — throttles the
 * real service would not send, and more of them the busier the machine. Out of process, the only lag
 * left is the loopback's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EmulatorConfig, EmulatorStats } from '../../src/emulator';

const ROOT = join(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const STARTUP_MS = 30_000;

export interface EmulatorProcess {
  url: string;
  /** The emulator's counters, read over its admin route. */
  stats(): Promise<EmulatorStats>;
  close(): Promise<void>;
}

export async function startEmulatorProcess(config: EmulatorConfig, timeScale: number): Promise<EmulatorProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-emulator-process-'));
  const configFile = join(dir, 'emulator.json');
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, [TSX, join(ROOT, 'src/emulator/main.ts'), '--port', '0', '--config', configFile, '--time-scale', String(timeScale)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await firstUrl(child, () => stderr);
    return {
      url,
      async stats() {
        const response = await fetch(`${url}/_emulator/stats`);
        if (!response.ok) throw new Error(`emulator stats: HTTP ${response.status}`);
        return (await response.json()) as EmulatorStats;
      },
      async close() {
        child.kill('SIGTERM');
        await exited;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The URL from the emulator's first line (`listening on http://…`), or why it did not start. */
function firstUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start within ${STARTUP_MS} ms: ${stderr()}`)), STARTUP_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${String(code)}) before listening: ${stderr()}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (match) resolve(match[1]!);
      else reject(new Error(`unexpected first line from the emulator: ${line}`));
    });
  });
}
