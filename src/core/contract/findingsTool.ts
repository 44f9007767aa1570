/**
 * The findings tool: the structured-output half of the contract between the engine and any model
 * (and the emulator, which answers by it). Models that accept `toolChoice: {tool}` are forced to
 * call it; the others (Llama) get `auto` and may answer with the same JSON in text instead.
 */
import { StringEnum, toJsonSchema, Type, type Static } from '../schema';

export const FINDINGS_TOOL_NAME = 'report_findings';

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Caps on what one answer may carry, enforced on the way back whatever the model sends
 * (src/core/findings): a confused model once sent 100,000 findings for a 200-line file and a 20 MB
 * suggestion. Findings over a cap are cut and the file says so, never silently. They are not written
 * into the schema the model is sent: every request would carry them (~25 tokens), and a model that
 * runs away does not read them.
 */
export const FINDINGS_LIMITS = {
  /** Findings kept per file (the most severe first). */
  perFile: 200,
  /** Findings examined per answer (one batch); the rest are not looked at. */
  perBatch: 1_000,
  /** Characters of a message; longer ones are shortened. */
  messageChars: 2_000,
  /** Characters of a suggestion (about 20 KB); longer ones are dropped, a cut fix would be wrong. */
  suggestionChars: 20_000,
  /** Characters of a snippet (the offending code, a few tokens to a line or two); longer ones are dropped. */
  snippetChars: 500,
  /** Characters of a rule id (what the pattern allows). */
  ruleIdChars: 64,
  /** Characters of a file path: a longer one cannot name a file of the batch, and is refused before it reaches a log. */
  fileChars: 1_024,
} as const;

/**
 * One finding, as the tool asks for it: the types, the required fields, and the descriptions a model
 * needs to fill them (what the system prompt says is not said again here). `checked: true` is the
 * schema an answer is checked against: the same, plus the path cap (a longer path is refused whole,
 * so it never reaches a log); the other caps are applied in normalize.ts (cut or dropped, and said).
 */
export function findingSchema(checked = false) {
  return Type.Object(
    {
      file: Type.String({ minLength: 1, ...(checked ? { maxLength: FINDINGS_LIMITS.fileChars } : {}) }),
      startLine: Type.Integer({ minimum: 1 }),
      endLine: Type.Integer({ minimum: 1 }),
      severity: StringEnum(SEVERITIES),
      /** Short kebab-case id such as `no-eval` or `empty-catch`; the pattern caps it at ruleIdChars. */
      ruleId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
      message: Type.String({ minLength: 1 }),
      /** Replacement text for lines startLine..endLine inclusive, when the model proposes a fix. */
      suggestion: Type.Optional(Type.String({ description: 'Replaces lines startLine..endLine.' })),
      /**
       * The offending code exactly as it appears on the reported lines (without the `N| ` prefix): hosts
       * locate it near startLine for an exact range, and fall back to the whole lines when it is absent.
       */
      snippet: Type.Optional(Type.String({ description: 'The smallest code at fault, copied exactly from those lines without the `N| ` prefix.' })),
    },
    { additionalProperties: false },
  );
}

/**
 * The tool's input: the schema the model is sent. The top level is open (an answer's other keys are
 * ignored, only `findings` is read) and the list has no maxItems (validate.ts examines perBatch).
 */
export const FindingsInputSchema = Type.Object({ findings: Type.Array(findingSchema()) });

/** A finding exactly as a model reports it (paths as given in the prompt, 1-based lines). */
export type RawFinding = Static<typeof FindingsInputSchema>['findings'][number];

export type FindingsToolInput = Static<typeof FindingsInputSchema>;

/**
 * The JSON Schema text sent to the model (TypeBox's symbols dropped). Its type is the TypeBox
 * schema's, so callers can read its fields. Changing what this
 * writes changes the prompt: bump PROMPT_VERSION (test/unit/schema/findingsTool.test.ts says so).
 */
export const FINDINGS_INPUT_SCHEMA = toJsonSchema(FindingsInputSchema) as typeof FindingsInputSchema;

/** The Converse `toolConfig.tools[0]` entry. */
export const FINDINGS_TOOL_SPEC = {
  toolSpec: {
    name: FINDINGS_TOOL_NAME,
    description: 'Every problem found, in one call; an empty list when there is none.',
    inputSchema: { json: FINDINGS_INPUT_SCHEMA },
  },
};
