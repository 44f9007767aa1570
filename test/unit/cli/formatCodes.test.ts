/** JSON and SARIF reports carry each not-analyzed file's outcome code beside its reason (additive). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { formatJson } from '../../../src/cli/format/json';
import { formatSarif } from '../../../src/cli/format/sarif';
import type { AnalyzeResult } from '../../../src/core/engine';

const result: AnalyzeResult = {
  runId: 'run1',
  files: [
    { path: '.env', status: 'skipped', reason: 'environment file (.env) — never sent', code: 'secret-file', retryable: false, findings: [] },
    { path: 'a.js', status: 'analyzed', model: 'm', findings: [] },
    { path: 'b.js', status: 'failed', reason: 'gave up after 4 attempts: ThrottlingException: Too many tokens', code: 'throttled', retryable: true, model: 'm', findings: [] },
  ],
  models: [],
  routing: [],
  redactions: 0,
  elapsedMs: 12,
  cancelled: false,
};

describe('report formats: outcome codes', () => {
  it('JSON: code and retryable beside the reason, nothing on analyzed files', () => {
    const report = JSON.parse(formatJson(result, { version: '0.0.0' })) as { files: Record<string, unknown>[] };
    assert.deepEqual(report.files.map((f) => [f.path, f.status, f.code, f.retryable, f.reason !== undefined]), [
      ['.env', 'skipped', 'secret-file', false, true],
      ['a.js', 'analyzed', undefined, undefined, false],
      ['b.js', 'failed', 'throttled', true, true],
    ]);
  });

  it('SARIF: each notification names its code, and the log still validates against SARIF 2.1.0', () => {
    const log = JSON.parse(formatSarif(result, { version: '0.0.0' })) as {
      runs: { invocations: { toolExecutionNotifications: { descriptor?: { id: string }; properties?: { code: string; retryable?: boolean }; message: { text: string } }[] }[] }[];
    };
    const notes = log.runs[0]!.invocations[0]!.toolExecutionNotifications;
    assert.deepEqual(notes.map((n) => [n.descriptor?.id, n.properties?.code, n.properties?.retryable]), [['secret-file', 'secret-file', false], ['throttled', 'throttled', true]]);
    assert.match(notes[1]!.message.text, /b\.js failed: gave up/);
    // The vendored schema is draft-04 (see test/integration/cli/analyze.test.ts for why these options).
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'integration', 'cli', 'fixtures', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    delete schema.$schema;
    delete schema.id;
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });
});
