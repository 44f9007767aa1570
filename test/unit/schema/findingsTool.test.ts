import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import Ajv from 'ajv';
import { estimateInputTokens, FINDINGS_INPUT_SCHEMA, FINDINGS_LIMITS, FINDINGS_TOOL_NAME, FINDINGS_TOOL_SPEC, FindingsInputSchema, findingSchema, PROMPT_VERSION, SYSTEM_PROMPT } from '../../../src/core/contract';
import { validateFindingsInput } from '../../../src/core/findings';
import { toJsonSchema } from '../../../src/core/schema';

/**
 * The tool schema text a model sees is part of the prompt: when it changes, cached answers were
 * made for another prompt, so PROMPT_VERSION must go up. Update both lines together.
 */
const SENT = { promptVersion: 5, sha256: '3ca09ef142923bd47d8d23c7f77877e407c7f5f5ce7876c21d2cf390d97a5d2b' };

const good = { file: 'src/a.js', startLine: 3, endLine: 4, severity: 'warning', ruleId: 'empty-catch', message: 'Swallowed error', snippet: 'catch {}' };
const samples: unknown[] = [
  good,
  { ...good, suggestion: 'catch (e) { log(e) }' },
  { ...good, severity: 'fatal' },
  { ...good, startLine: 0 },
  { ...good, startLine: 1.5 },
  { ...good, ruleId: 'Has Spaces' },
  { ...good, ruleId: 'x'.repeat(FINDINGS_LIMITS.ruleIdChars + 1) },
  { ...good, file: '' },
  { ...good, extra: true },
  { ...good, snippet: 'y'.repeat(FINDINGS_LIMITS.snippetChars + 1) },
  { ...good, message: '' },
  { file: 'a.js' },
  'a string',
  null,
];

describe('findings tool: one schema for what the model is told and what is accepted', () => {
  it('the Converse tool spec carries the JSON Schema generated from the TypeBox schema', () => {
    assert.equal(FINDINGS_TOOL_SPEC.toolSpec.inputSchema.json, FINDINGS_INPUT_SCHEMA);
    assert.deepEqual(FINDINGS_INPUT_SCHEMA, toJsonSchema(FindingsInputSchema));
    assert.equal(JSON.stringify(FINDINGS_INPUT_SCHEMA).includes('Symbol'), false);
  });

  it('the text sent is the one PROMPT_VERSION was set for (bump it when this fails)', () => {
    const sha256 = createHash('sha256').update(JSON.stringify(FINDINGS_TOOL_SPEC)).digest('hex');
    assert.deepEqual({ promptVersion: PROMPT_VERSION, sha256 }, SENT,
      'the findings tool text changed: bump PROMPT_VERSION in src/core/contract/prompt.ts and record the new hash here');
  });

  it('a standard JSON Schema validator (ajv) on the sent text and the answer check agree item by item', () => {
    const sent = new Ajv({ strict: false }).compile((FINDINGS_INPUT_SCHEMA.properties.findings as { items: object }).items);
    for (const item of samples) {
      const accepted = validateFindingsInput({ findings: [item, good] });
      assert.ok(accepted.ok);
      assert.equal(accepted.findings.length === 2, sent(item), JSON.stringify(item));
    }
  });

  it('the answer check differs from the sent schema only by the path cap (the other caps are cut on the way back)', () => {
    const sent = toJsonSchema(findingSchema(false)) as { properties: Record<string, Record<string, unknown>> };
    const checked = toJsonSchema(findingSchema(true)) as typeof sent;
    assert.equal(checked.properties.file!.maxLength, FINDINGS_LIMITS.fileChars);
    delete checked.properties.file!.maxLength;
    assert.deepEqual(checked, sent);
    const long = validateFindingsInput({ findings: [{ ...good, file: 'a/'.repeat(FINDINGS_LIMITS.fileChars) }, good] });
    assert.ok(long.ok);
    assert.deepEqual(long.rejected.map((r) => r.error), ['/file fails maxLength']);
  });

  it('what every request carries stays small: tool spec and system prompt by the contract estimate', () => {
    // Measured at PROMPT_VERSION 4 (448 tokens at 3): a guard against the fixed part growing back unnoticed.
    const fixed = estimateInputTokens([SYSTEM_PROMPT, JSON.stringify(FINDINGS_TOOL_SPEC)]);
    assert.ok(fixed <= 340, `system prompt + tool spec: ${fixed} tokens`);
    for (const needed of ['FILE marker', '1-based', FINDINGS_TOOL_NAME, '{"findings":[...]}', 'no style nits']) assert.ok(SYSTEM_PROMPT.includes(needed), needed);
    assert.match(JSON.stringify(FINDINGS_TOOL_SPEC), /"snippet":\{[^}]*copied exactly/);
  });
});
