/**
 * The findings tool: the structured-output half of the contract between the engine and any model
 * (and the emulator, which answers by it). Models that accept `toolChoice: {tool}` are forced to
 * call it; the others (Llama) get `auto` and may answer with the same JSON in text instead.
 */
export const FINDINGS_TOOL_NAME = 'report_findings';

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A finding exactly as a model reports it (paths as given in the prompt, 1-based lines). */
export interface RawFinding {
  file: string;
  startLine: number;
  endLine: number;
  severity: Severity;
  /** Short kebab-case id such as `no-eval` or `empty-catch`. */
  ruleId: string;
  message: string;
  /** Replacement text for lines startLine..endLine inclusive, when the model proposes a fix. */
  suggestion?: string;
  /**
   * The offending code exactly as it appears on the reported lines (without the `N| ` prefix): hosts
   * locate it near startLine for an exact range, and fall back to the whole lines when it is absent.
   */
  snippet?: string;
}

export interface FindingsToolInput {
  findings: RawFinding[];
}

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

/** JSON Schema of the tool's input; also what findings are validated against on the way back. */
export const FINDINGS_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['findings'],
  properties: {
    findings: {
      type: 'array',
      maxItems: FINDINGS_LIMITS.perBatch,
      description: `At most ${FINDINGS_LIMITS.perFile} findings per file, the most important first.`,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'startLine', 'endLine', 'severity', 'ruleId', 'message'],
        properties: {
          file: { type: 'string', minLength: 1, maxLength: FINDINGS_LIMITS.fileChars, description: 'Path exactly as in the FILE marker.' },
          startLine: { type: 'integer', minimum: 1 },
          endLine: { type: 'integer', minimum: 1 },
          severity: { type: 'string', enum: [...SEVERITIES] },
          ruleId: { type: 'string', maxLength: FINDINGS_LIMITS.ruleIdChars, pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
          message: { type: 'string', minLength: 1, maxLength: FINDINGS_LIMITS.messageChars },
          suggestion: { type: 'string', maxLength: FINDINGS_LIMITS.suggestionChars, description: 'Replacement for lines startLine..endLine.' },
          snippet: {
            type: 'string', maxLength: FINDINGS_LIMITS.snippetChars,
            description: 'The offending code copied exactly from the reported lines, without the line-number prefix: the smallest expression or statement at fault.',
          },
        },
      },
    },
  },
} as const;

/** The Converse `toolConfig.tools[0]` entry. */
export const FINDINGS_TOOL_SPEC = {
  toolSpec: {
    name: FINDINGS_TOOL_NAME,
    description:
      'Report every problem found in the files of this batch. Call exactly once, with an empty list when there is nothing to report.',
    inputSchema: { json: FINDINGS_INPUT_SCHEMA },
  },
};
