/** The engine honours both kinds of dismissal in a baseline: by fingerprint and "ignore similar". */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, createInterimScorer } from '../../../src/core/engine';
import { addDismissals } from '../../../src/core/findings';
import { FakeModels, testConfig, workspace } from '../engine/fakes';

describe('engine + baseline dismissals', () => {
  it('suppresses an ignored fingerprint and every finding of an ignored rule in that file only', async () => {
    const root = workspace({
      'src/a.js': ['if (x == 1) eval(x);', 'if (y == 2) run();', ''].join('\n'),
      'src/b.js': ['if (z == 3) run();', ''].join('\n'),
    });
    const dir = mkdtempSync(join(tmpdir(), 'chorus-dismiss-engine-'));
    try {
      const first = createEngine({ config: testConfig(), providerFor: new FakeModels().providerFor, scorer: createInterimScorer() });
      const all = await first.analyze({ root, lane: 'background' });
      first.dispose();
      const a = all.files.find((f) => f.path === 'src/a.js')!.findings;
      assert.deepEqual(a.map((f) => f.ruleId).sort(), ['eqeqeq', 'eqeqeq', 'no-eval']);
      const baselinePath = join(dir, 'baseline.json');
      await addDismissals(baselinePath, { findings: a.filter((f) => f.ruleId === 'no-eval'), similar: [{ file: 'src/a.js', ruleId: 'eqeqeq' }] });
      const engine = createEngine({ config: testConfig(), providerFor: new FakeModels().providerFor, scorer: createInterimScorer(), baselinePath });
      const result = await engine.analyze({ root, lane: 'background' });
      engine.dispose();
      assert.deepEqual(result.files.find((f) => f.path === 'src/a.js')!.findings, []);
      assert.deepEqual(result.files.find((f) => f.path === 'src/b.js')!.findings.map((f) => f.ruleId), ['eqeqeq'], 'the same rule elsewhere still shows');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
