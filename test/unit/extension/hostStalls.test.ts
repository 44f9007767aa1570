/**
 * What the host benchmark (npm run bench:host) found stalling the extension host's event loop, each
 * kept from coming back: redaction of many files in a row runs in slices that let timers fire, and a
 * pattern repeated across hundreds of files is not linked quadratically as "Also reported in".
 */
import { strict as assert } from 'node:assert';
import { redactSecrets } from '../../../src/core/redact';
import type { Finding } from '../../../src/core/types';
import { MAX_RELATED_GROUP, relatedLocations } from '../../../src/extension/diagnostics/mapFinding';

describe('host stalls found by bench:host', () => {
  it('redacting files one after the other lets a timer fire in between', async function () {
    this.timeout(60_000);
    let fired = false;
    const timer = setTimeout(() => (fired = true), 0);
    const text = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i}); // line ${i}`).join('\n');
    let redactedBeforeTimer = 0;
    for (let i = 0; i < 400 && !fired; i++) {
      await redactSecrets(`src/f${i}.ts`, text);
      redactedBeforeTimer++;
    }
    clearTimeout(timer);
    assert.ok(fired, 'the timer never fired while 400 files were redacted');
    assert.ok(redactedBeforeTimer < 400, `the timer waited for all ${redactedBeforeTimer} files`);
  });

  it('a finding repeated in hundreds of files is a pattern: not linked; a few files are', () => {
    const f = (i: number): Finding => ({ file: `src/f${i}.js`, startLine: 1, endLine: 1, severity: 'warning', ruleId: 'empty-catch', message: 'Swallowed.', model: 'm', fingerprint: `fp${i}`, snippet: 'catch (e) {}' });
    const many = Array.from({ length: 400 }, (_, i) => f(i));
    const started = performance.now();
    assert.equal(relatedLocations(many).size, 0);
    assert.ok(performance.now() - started < 200, 'linear, not quadratic');
    const few = Array.from({ length: 3 }, (_, i) => f(i));
    assert.equal(relatedLocations(few).get(few[0]!)?.length, 2);
    assert.ok(MAX_RELATED_GROUP >= 3);
  });
});
