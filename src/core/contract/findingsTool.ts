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
}

export interface FindingsToolInput {
  findings: RawFinding[];
}

/** JSON Schema of the tool's input; also what findings are validated against on the way back. */
export const FINDINGS_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['findings'],
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'startLine', 'endLine', 'severity', 'ruleId', 'message'],
        properties: {
          file: { type: 'string', minLength: 1, description: 'Path exactly as in the FILE marker.' },
          startLine: { type: 'integer', minimum: 1 },
          endLine: { type: 'integer', minimum: 1 },
          severity: { type: 'string', enum: [...SEVERITIES] },
          ruleId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
          message: { type: 'string', minLength: 1, maxLength: 2000 },
          suggestion: { type: 'string', description: 'Replacement for lines startLine..endLine.' },
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
