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
 * Caps on what one answer may carry, told to the model in the schema and enforced on the way back
 * whatever it sends (src/core/findings): a confused model once sent 100,000 findings for a 200-line
 * file and a 20 MB suggestion. Findings over a cap are cut and the file says so, never silently.
 */
export const FINDINGS_LIMITS = {
  /** Findings kept per file (the most severe first). */
  perFile: 200,
  /** Findings examined per answer (one batch); the schema's maxItems. */
  perBatch: 1_000,
  /** Characters of a message; longer ones are shortened. */
  messageChars: 2_000,
  /** Characters of a suggestion (about 20 KB); longer ones are dropped, a cut fix would be wrong. */
  suggestionChars: 20_000,
  /** Characters of a snippet (the offending code, a few tokens to a line or two). */
  snippetChars: 500,
  /** Characters of a rule id. */
  ruleIdChars: 64,
  /** Characters of a file path. */
  fileChars: 1_024,
} as const;

/**
 * One finding, as the tool asks for it. `capped: false` leaves out the length caps of a message and
 * a suggestion: the answer is checked that way (an over-long one is cut in normalize.ts and said,
 * not a reason to throw the whole finding away), while the model is told the caps.
 */
export function findingSchema(capped = true) {
  const cap = (chars: number) => (capped ? { maxLength: chars } : {});
  return Type.Object(
    {
      file: Type.String({ minLength: 1, maxLength: FINDINGS_LIMITS.fileChars, description: 'Path exactly as in the FILE marker.' }),
      startLine: Type.Integer({ minimum: 1 }),
      endLine: Type.Integer({ minimum: 1 }),
      severity: StringEnum(SEVERITIES),
      /** Short kebab-case id such as `no-eval` or `empty-catch`. */
      ruleId: Type.String({ maxLength: FINDINGS_LIMITS.ruleIdChars, pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
      message: Type.String({ minLength: 1, ...cap(FINDINGS_LIMITS.messageChars) }),
      /** Replacement text for lines startLine..endLine inclusive, when the model proposes a fix. */
      suggestion: Type.Optional(Type.String({ ...cap(FINDINGS_LIMITS.suggestionChars), description: 'Replacement for lines startLine..endLine.' })),
      /**
       * The offending code exactly as it appears on the reported lines (without the `N| ` prefix): hosts
       * locate it near startLine for an exact range, and fall back to the whole lines when it is absent.
       */
      snippet: Type.Optional(Type.String({
        maxLength: FINDINGS_LIMITS.snippetChars,
        description: 'The offending code copied exactly from the reported lines, without the line-number prefix: the smallest expression or statement at fault.',
      })),
    },
    { additionalProperties: false },
  );
}

/** The tool's input: the one schema the model is sent and the answer is validated against. */
export const FindingsInputSchema = Type.Object(
  {
    findings: Type.Array(findingSchema(), {
      maxItems: FINDINGS_LIMITS.perBatch,
      description: `At most ${FINDINGS_LIMITS.perFile} findings per file, the most important first.`,
    }),
  },
  { additionalProperties: false },
);

/** A finding exactly as a model reports it (paths as given in the prompt, 1-based lines). */
export type RawFinding = Static<typeof FindingsInputSchema>['findings'][number];

export type FindingsToolInput = Static<typeof FindingsInputSchema>;

/**
 * The JSON Schema text sent to the model (TypeBox's symbols dropped). Its type is the TypeBox
 * schema's, so callers can read the caps (`.properties.findings.maxItems`). Changing what this
 * writes changes the prompt: bump PROMPT_VERSION (test/unit/schema/findingsTool.test.ts says so).
 */
export const FINDINGS_INPUT_SCHEMA = toJsonSchema(FindingsInputSchema) as typeof FindingsInputSchema;

/** The Converse `toolConfig.tools[0]` entry. */
export const FINDINGS_TOOL_SPEC = {
  toolSpec: {
    name: FINDINGS_TOOL_NAME,
    description:
      'Report every problem found in the files of this batch. Call exactly once, with an empty list when there is nothing to report.',
    inputSchema: { json: FINDINGS_INPUT_SCHEMA },
  },
};
