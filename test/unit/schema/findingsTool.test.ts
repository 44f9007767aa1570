import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import Ajv from 'ajv';
import { FINDINGS_INPUT_SCHEMA, FINDINGS_LIMITS, FINDINGS_TOOL_SPEC, FindingsInputSchema, findingSchema, PROMPT_VERSION } from '../../../src/core/contract';
import { validateFindingsInput } from '../../../src/core/findings';
import { toJsonSchema } from '../../../src/core/schema';

/**
 * The tool schema text a model sees is part of the prompt: when it changes, cached answers were
 * made for another prompt, so PROMPT_VERSION must go up. Update both lines together.
 */
const SENT = { promptVersion: 3, sha256: '5072d4f3d85b7ff39a578afad38bda53b005c14018892941fb2e5e1b4e91b373' };

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

  it('the answer check differs from the sent schema only by the message and suggestion caps', () => {
    const sent = toJsonSchema(findingSchema(true)) as { properties: Record<string, Record<string, unknown>> };
    const checked = toJsonSchema(findingSchema(false)) as typeof sent;
    assert.equal(sent.properties.message!.maxLength, FINDINGS_LIMITS.messageChars);
    assert.equal(sent.properties.suggestion!.maxLength, FINDINGS_LIMITS.suggestionChars);
    delete sent.properties.message!.maxLength;
    delete sent.properties.suggestion!.maxLength;
    assert.deepEqual(checked, sent);
  });
});
