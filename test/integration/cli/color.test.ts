/**
 * Colors in `chorus analyze --format text`, as a CI log or a pipe sees them: none by default off a
 * terminal, FORCE_COLOR turns them on, FORCE_COLOR=0, --no-color and --output keep them off.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, runChorus, sampleWorkspace, tempDir, useCliSuite } from './helpers';

const ESC = '\u001b';
const RED = `${ESC}[31m`;

describe('chorus analyze: colors (NO_COLOR, FORCE_COLOR, --no-color)', function () {
  this.timeout(120_000);
  const suite = useCliSuite();
  let root: string;
  let cache: string;
  before(() => {
    root = suite.dir(sampleWorkspace());
    cache = suite.dir(tempDir('cache'));
  });
  const run = (vars: Record<string, string | undefined>, ...extra: string[]) =>
    runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'text', ...extra], cliEnv(cache, { NO_COLOR: undefined, FORCE_COLOR: undefined, ...vars }));

  it('a pipe gets plain text; FORCE_COLOR paints severities', async () => {
    const plain = await run({});
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(plain.stdout.includes('error') && !plain.stdout.includes(ESC), plain.stdout);
    const forced = await run({ FORCE_COLOR: '1' });
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(forced.stdout.includes(`${RED}error`), JSON.stringify(forced.stdout.slice(0, 400)));
  });

  it('--no-color and --output win over FORCE_COLOR', async () => {
    const flag = await run({ FORCE_COLOR: '1' }, '--no-color');
    assert.equal(flag.code, 0, flag.stderr);
    assert.ok(flag.stdout.includes('error') && !flag.stdout.includes(ESC));
    const file = join(suite.dir(tempDir('out')), 'report.txt');
    const written = await run({ FORCE_COLOR: '1' }, '--output', file);
    assert.equal(written.code, 0, written.stderr);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes('error') && !text.includes(ESC));
  });

  it('FORCE_COLOR=0 keeps a pipe plain (NO_COLOR on a terminal: test/unit/text/textReport.test.ts)', async () => {
    const zero = await run({ FORCE_COLOR: '0' });
    assert.ok(zero.stdout.includes('error') && !zero.stdout.includes(ESC), zero.stdout);
  });
});
