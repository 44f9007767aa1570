import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { emulatorCommand } from '../../../src/cli/commands/emulator';
import { defaultEmulatorConfig, type EmulatorStats } from '../../../src/emulator';
import { loadEmulatorConfig } from '../../../src/emulator/serve';
import { client, findingsRequest } from './helpers';

const ROOT = join(__dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** Runs `chorus emulator …` from source; resolves with the first stdout line, or the exit code. */
function run(args: string[]): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [TSX, join(ROOT, 'src/cli/main.ts'), 'emulator', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { child, firstLine, exit };
}

describe('chorus emulator (command line)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'chorus-emulator-'));

  it('prints `listening on http://127.0.0.1:PORT` first and serves the configured models', async () => {
    const config = join(dir, 'emulator.json');
    writeFileSync(config, JSON.stringify({ models: [{ id: 'cli.model-v1:0', tokensPerMinute: 1234 }] }));
    const { child, firstLine, exit } = run(['--port', '0', '--config', config, '--time-scale', '600']);
    try {
      const line = await firstLine;
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      assert.ok(m, line);
      const stats = (await (await fetch(`${m[1]}/_emulator/stats`)).json()) as EmulatorStats;
      assert.deepEqual(Object.keys(stats.models), ['cli.model-v1:0']);
      assert.equal(stats.models['cli.model-v1:0']!.tokensPerMinute, 1234);
      const sdk = client(m[1]!, 'h2');
      try {
        const out = await sdk.send(new ConverseCommand(findingsRequest('cli.model-v1:0', { maxTokens: 500 })));
        assert.equal(out.stopReason, 'tool_use');
      } finally {
        sdk.destroy();
      }
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal((await exit).code, 0, 'exits cleanly on SIGTERM');
  });

  // The refusals run in-process (spawning costs seconds): the action rejects before listening.
  const parse = (args: string[]) => emulatorCommand().exitOverride().parseAsync(args, { from: 'user' });

  it('refuses a config that does not validate, saying which field is wrong', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ models: [{ id: 'x', tokensPerMinute: -1 }] }));
    await assert.rejects(parse(['--config', config]), /models\[0\]\.tokensPerMinute/);
    writeFileSync(config, '{ not json');
    await assert.rejects(parse(['--config', config]), /not valid JSON/);
    await assert.rejects(parse(['--config', join(dir, 'missing.json')]), /Cannot read emulator config/);
  });

  it('refuses a bad --time-scale or --port', async () => {
    await assert.rejects(parse(['--time-scale', 'fast']), /--time-scale/);
    await assert.rejects(parse(['--time-scale', '0']), /--time-scale/);
    await assert.rejects(parse(['--port', '70000']), /--port/);
  });
});

describe('emulator config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-emulator-config-'));

  it("reads an analysis config's models as they are (extra fields ignored, toolChoice as a kind)", async () => {
    const file = join(dir, 'chorus.config.json');
    writeFileSync(file, JSON.stringify({
      region: 'us-east-1',
      models: [
        { id: 'us.amazon.nova-pro-v1:0', tokensPerMinute: 100_000, maxKbPerBatch: 350, minComplexity: 0.5, toolChoice: 'tool' },
        { id: 'us.meta.llama3-3-70b-instruct-v1:0', tokensPerMinute: 60_000, maxKbPerBatch: 200, toolChoice: 'auto' },
      ],
    }));
    const config = await loadEmulatorConfig(file);
    assert.deepEqual(config.models.map((m) => m.toolChoice), [['tool'], ['auto']]);
    assert.deepEqual(config.models.map((m) => m.tokensPerMinute), [100_000, 60_000]);
  });

  it('without a file, serves the default models', async () => {
    assert.deepEqual(await loadEmulatorConfig(undefined), defaultEmulatorConfig());
  });
});
