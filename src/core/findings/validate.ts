/**
 * Validation against the findings tool's schema (src/core/contract: the same TypeBox schema the
 * model is sent). A malformed envelope fails the batch (its files are retried or reported failed);
 * inside a valid envelope, each finding is checked on its own so one bad item does not discard its
 * good neighbours — unless no item is valid at all.
 */
import { FINDINGS_LIMITS, findingSchema, type RawFinding } from '../contract';
import { Value, ValueErrorType } from '../schema';

const ValueErrorName = ValueErrorType as unknown as Record<number, string>;

/** The tool's item with the path cap; over-long messages, suggestions and snippets are cut in normalize.ts. */
const ITEM = findingSchema(true);

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

/** The JSON Schema keyword behind a TypeBox error type (`StringMaxLength` → `maxLength`). */
function keyword(type: string): string {
  const known: Record<string, string> = {
    ObjectRequiredProperty: 'required', ObjectAdditionalProperties: 'additionalProperties', Kind: 'enum',
    StringMaxLength: 'maxLength', StringMinLength: 'minLength', StringPattern: 'pattern', NumberMinimum: 'minimum',
    IntegerMinimum: 'minimum', ArrayMaxItems: 'maxItems',
  };
  return known[type] ?? 'type';
}

/**
 * The first error as `<path> fails <keyword>`. The path holds schema property names and indices
 * only: for an unknown field the model's key is cut off, so no value of the model's reaches a log.
 */
function describe(item: unknown): string {
  const e = Value.Errors(ITEM, item).First();
  if (!e) return 'invalid';
  const type = ValueErrorName[e.type] ?? 'type';
  const path = type === 'ObjectAdditionalProperties' ? e.path.slice(0, e.path.lastIndexOf('/')) : e.path;
  return `${path || '/'} fails ${keyword(type)}`;
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
    if (Value.Check(ITEM, item)) findings.push(item);
    else {
      const file = item && typeof item === 'object' ? (item as { file?: unknown }).file : undefined;
      rejected.push({ index, error: describe(item), ...(typeof file === 'string' ? { file } : {}) });
    }
  });
  // Nothing usable at all is a malformed answer, not "no problems": the batch is asked again or fails.
  if (examined.length > 0 && findings.length === 0) {
    return { ok: false, reason: `malformed model output: none of the ${examined.length} finding(s) matches the schema (${rejected[0]?.error ?? 'invalid'})` };
  }
  return { ok: true, findings, rejected, overBatchCap: list.length - examined.length };
}
