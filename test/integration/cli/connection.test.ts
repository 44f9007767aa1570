import assert from 'node:assert/strict';
import { ScaledClock } from '../../../src/core/clock';
import { defaultConfig } from '../../../src/core/config';
import { createEngine } from '../../../src/core/engine';
import { defaultEmulatorConfig } from '../../../src/emulator';
import { emulator, TIME_SCALE } from './helpers';

describe('engine.testConnection (real Bedrock provider against the emulator)', function () {
  this.timeout(60_000);
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  before(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDCHORUSTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'chorus-test';
  });
  after(() => {
    for (const [key, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('reports each model reachable, or denied with what to do', async () => {
    const config = defaultEmulatorConfig();
    config.models = config.models.map((m) => (m.id.includes('llama') ? { ...m, access: 'denied' as const } : m));
    const emu = await emulator(config);
    const engine = createEngine({ config: { ...defaultConfig(), endpoint: emu.url }, clock: new ScaledClock(TIME_SCALE) });
    try {
      const reports = await engine.testConnection();
      const nova = reports.find((r) => r.model.includes('nova'))!;
      const llama = reports.find((r) => r.model.includes('llama'))!;
      assert.equal(nova.ok, true, nova.detail);
      assert.match(nova.detail, /reachable, authorized/);
      assert.equal(llama.ok, false);
      assert.match(llama.detail, /AccessDeniedException.*model access/is);
      assert.equal(emu.requests().length, 2);
    } finally {
      engine.dispose();
      await emu.close();
    }
  });
});
