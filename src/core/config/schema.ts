/**
 * The one schema of the analysis configuration: chorus.config.json, and the object a host maps its
 * settings onto. The types in types.ts, parseConfig's checks and the `chorus.models` setting in
 * package.json all come from here (settingsSchema.ts reuses ModelSchema), so they cannot drift.
 *
 * EXPECTED words are the ones parseConfig's errors always used (tests and docs quote them).
 */
import { EXPECTED, expecting, StringEnum, Type, type Static } from '../schema';

export const SERVICE_TIERS = ['default', 'priority', 'flex'] as const;
export const TOOL_CHOICES = ['tool', 'auto'] as const;

const positive = (options: object = {}) => Type.Number({ exclusiveMinimum: 0, ...options });
const positiveInteger = (options: object = {}) => Type.Integer({ exclusiveMinimum: 0, ...options });
/** A string with something other than spaces in it. */
const nonEmpty = (options: object = {}) => Type.String({ minLength: 1, pattern: '\\S', ...expecting('a non-empty string'), ...options });
const tier = () => Type.Optional(StringEnum(SERVICE_TIERS, expecting('"default", "priority" or "flex"')));

export const ModelSchema = Type.Object(
  {
    /** Bedrock model or inference-profile id, e.g. `us.amazon.nova-pro-v1:0`. */
    id: nonEmpty({ description: 'Model or inference-profile id, e.g. us.amazon.nova-pro-v1:0.' }),
    label: Type.Optional(nonEmpty()),
    tokensPerMinute: Type.Optional(positive({
      description: 'Tokens-per-minute quota of this model in your account. Leave it out to use the account\'s applied quota (read through Service Quotas; the known default if it cannot be read). "Chorus: Detect Quotas" shows both.',
    })),
    requestsPerMinute: Type.Optional(positive()),
    /** Batch size limit in KB (1 KB = 1,024 bytes of source). */
    maxKbPerBatch: Type.Optional(positive({ description: 'Largest batch of source sent in one call, in KB.' })),
    /** Upper bound for `maxTokens` on a call; the scheduler sizes each call below it. */
    maxOutputTokens: Type.Optional(positiveInteger()),
    /**
     * Quota tokens one output token burns (Bedrock's "token burndown rate"): 5 for Claude 3.7 Sonnet
     * and the Claude 4 family, 1 for other models. Default: from the id (schedule/calibration.ts).
     */
    outputBurndown: Type.Optional(Type.Number({
      minimum: 1, maximum: 10,
      description: 'Quota tokens one output token burns (Bedrock\'s token burndown rate). Default: 5 for Claude 3.7 Sonnet and the Claude 4 family, 1 otherwise.',
    })),
    /** A group goes to the model with the highest minComplexity not above the group's score. */
    minComplexity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Lowest complexity score (0..1) routed to this model.' })),
    /** Context window in tokens; batches are planned to fit. */
    contextTokens: Type.Optional(positiveInteger()),
    costPer1kInput: Type.Optional(Type.Number({ minimum: 0, description: 'USD per 1,000 input tokens (for estimates and the budget).' })),
    costPer1kOutput: Type.Optional(Type.Number({ minimum: 0 })),
    /**
     * How the findings tool is requested: `tool` forces it, `auto` lets the model choose (and answer
     * in JSON text). Default: decided from the model id (Llama → auto), see providers/toolChoice.ts.
     */
    toolChoice: Type.Optional(StringEnum(TOOL_CHOICES, expecting('"tool" or "auto"', {
      description: 'How the findings tool is requested: "tool" forces the call, "auto" lets the model answer in JSON text. Default: from the model id (Llama: auto).',
    }))),
    /**
     * Bedrock service tier per lane (`flex` for background work is half price, `priority` for
     * interactive work costs more); absent = Standard. See providers/serviceTier.ts.
     */
    serviceTier: Type.Optional(Type.Object(
      { interactive: tier(), background: tier() },
      {
        additionalProperties: false,
        description: 'Bedrock service tier per lane, for models that serve Priority and Flex (Nova Pro, Nova Premier, …). Flex is cheaper and slower under load, Priority costs more; the quota is the same. Default: Standard.',
      },
    )),
  },
  { additionalProperties: false, [EXPECTED]: 'an object with at least "id"' },
);

export const BudgetSchema = Type.Object(
  {
    /** Stop dispatching once this many tokens (input + output) were charged in the run. */
    maxTokens: Type.Optional(positive()),
    /** Stop dispatching once the estimated cost (USD) reaches this. */
    maxCost: Type.Optional(positive()),
  },
  { additionalProperties: false },
);

const globs = () => Type.Optional(Type.Array(Type.String({ minLength: 1 }), expecting('an array of strings')));

/** chorus.config.json. The field order is the order an unknown field's error lists them in. */
export const ConfigFileSchema = Type.Object(
  {
    region: Type.Optional(nonEmpty()),
    profile: Type.Optional(nonEmpty()),
    /** Custom endpoint (VPC endpoint, the emulator). */
    endpoint: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+', ...expecting('an http(s) URL') })),
    include: globs(),
    exclude: globs(),
    maxFileKb: Type.Optional(positive()),
    instructions: Type.Optional(Type.String()),
    models: Type.Optional(Type.Array(ModelSchema, { minItems: 1, ...expecting('a non-empty array of models') })),
    budget: Type.Optional(BudgetSchema),
    /** Let a batch move to another model when its preferred model's backlog would finish later. */
    spillover: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, [EXPECTED]: 'a JSON object' },
);

export type ModelFields = Static<typeof ModelSchema>;
export type BudgetFields = Static<typeof BudgetSchema>;
export type ConfigFile = Static<typeof ConfigFileSchema>;
