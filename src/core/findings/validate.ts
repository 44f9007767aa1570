/**
 * Validation against the contract's FINDINGS_INPUT_SCHEMA with ajv. A malformed envelope fails the
 * batch (its files are retried or reported failed); inside a valid envelope, each finding is checked
 * on its own so one bad item does not discard its good neighbours — unless no item is valid at all.
 */
import Ajv from 'ajv';
import { FINDINGS_INPUT_SCHEMA, type RawFinding } from '../contract';

const ajv = new Ajv({ allErrors: false, strict: false });
const checkItem = ajv.compile<RawFinding>(FINDINGS_INPUT_SCHEMA.properties.findings.items);

export type Validated =
  | { ok: true; findings: RawFinding[]; rejected: { index: number; error: string }[] }
  | { ok: false; reason: string };

export function validateFindingsInput(value: unknown): Validated {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'malformed model output: expected an object with a "findings" array' };
  }
  const list = (value as { findings?: unknown }).findings;
  if (!Array.isArray(list)) return { ok: false, reason: 'malformed model output: "findings" is not an array' };
  const findings: RawFinding[] = [];
  const rejected: { index: number; error: string }[] = [];
  list.forEach((item: unknown, index) => {
    if (checkItem(item)) findings.push(item);
    else {
      const e = checkItem.errors?.[0];
      rejected.push({ index, error: e ? `${e.instancePath || '/'} ${e.message ?? 'is invalid'}` : 'invalid' });
    }
  });
  // Nothing usable at all is a malformed answer, not "no problems": the batch is asked again or fails.
  if (list.length > 0 && findings.length === 0) {
    return { ok: false, reason: `malformed model output: none of the ${list.length} finding(s) matches the schema (${rejected[0]?.error ?? 'invalid'})` };
  }
  return { ok: true, findings, rejected };
}
