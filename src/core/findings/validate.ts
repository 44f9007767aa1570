/**
 * Validation against the contract's FINDINGS_INPUT_SCHEMA with ajv. A malformed envelope fails the
 * batch (its files are retried or reported failed); inside a valid envelope, each finding is checked
 * on its own so one bad item does not discard its good neighbours — unless no item is valid at all.
 */
import Ajv from 'ajv';
import { FINDINGS_INPUT_SCHEMA, FINDINGS_LIMITS, type RawFinding } from '../contract';

const ajv = new Ajv({ allErrors: false, strict: false });

/**
 * The item schema without the length caps of a message and a suggestion: an over-long one is cut
 * (normalize.ts) and said, not a reason to throw the whole finding away.
 */
function lenientItemSchema(): object {
  const items = FINDINGS_INPUT_SCHEMA.properties.findings.items;
  const { message, suggestion, ...rest } = items.properties;
  const { maxLength: _m, ...messageUncapped } = message;
  const { maxLength: _s, ...suggestionUncapped } = suggestion;
  return { ...items, properties: { ...rest, message: messageUncapped, suggestion: suggestionUncapped } };
}

const checkItem = ajv.compile<RawFinding>(lenientItemSchema());

export interface Rejected {
  index: number;
  /** Schema keyword and the item's path in the schema: never the model's values. */
  error: string;
  /** The item's `file`, when it is a string (to tell that file its answer lost a finding). */
  file?: string;
}

export type Validated =
  | {
      ok: true;
      findings: RawFinding[];
      rejected: Rejected[];
      /** Items past FINDINGS_LIMITS.perBatch, not examined. */
      overBatchCap: number;
    }
  | { ok: false; reason: string };

function describe(errors: typeof checkItem.errors): string {
  const e = errors?.[0];
  // instancePath and keyword come from the schema's own property names; `message` may quote
  // schema values only (patterns, limits), never the data.
  return e ? `${e.instancePath || '/'} fails ${e.keyword}` : 'invalid';
}

export function validateFindingsInput(value: unknown): Validated {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'malformed model output: expected an object with a "findings" array' };
  }
  const list = (value as { findings?: unknown }).findings;
  if (!Array.isArray(list)) return { ok: false, reason: 'malformed model output: "findings" is not an array' };
  const examined = list.length > FINDINGS_LIMITS.perBatch ? list.slice(0, FINDINGS_LIMITS.perBatch) : list;
  const findings: RawFinding[] = [];
  const rejected: Rejected[] = [];
  examined.forEach((item: unknown, index) => {
    if (checkItem(item)) findings.push(item);
    else {
      const file = item && typeof item === 'object' ? (item as { file?: unknown }).file : undefined;
      rejected.push({ index, error: describe(checkItem.errors), ...(typeof file === 'string' ? { file } : {}) });
    }
  });
  // Nothing usable at all is a malformed answer, not "no problems": the batch is asked again or fails.
  if (examined.length > 0 && findings.length === 0) {
    return { ok: false, reason: `malformed model output: none of the ${examined.length} finding(s) matches the schema (${rejected[0]?.error ?? 'invalid'})` };
  }
  return { ok: true, findings, rejected, overBatchCap: list.length - examined.length };
}
