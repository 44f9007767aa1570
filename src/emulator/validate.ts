/**
 * The emulator config's one schema (TypeBox): config.ts's types come from it, it is checked once at
 * start, and every error says exactly what is wrong, with the path of the offending field, instead
 * of failing later on the first request.
 *
 * Fields the emulator does not know are ignored (an analysis config carries many), so one file can
 * describe both sides. Secrets (credentials, API keys) are never echoed in an error.
 */
import { expecting, firstIssue, StringEnum, Type, type Static, type TSchema } from '../core/schema';
import { FAULT_KINDS, SERVICE_TIER_NAMES, TOOL_CHOICE_KINDS, type EmulatorConfig, type EmulatorFault } from './config';
import { MAX_TOKEN_RATIO, MIN_TOKEN_RATIO } from './tokenizer';

const positive = () => Type.Optional(Type.Number({ exclusiveMinimum: 0, ...expecting('a positive number') }));
const seconds = () => Type.Optional(Type.Number({ minimum: 0, ...expecting('seconds >= 0') }));
const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');
const only = <const T extends string>(value: T) => Type.Optional(StringEnum([value] as const, expecting(`"${value}" or absent`)));

const FaultSchema = Type.Object({
  /** Model id the fault applies to; omitted = every model. */
  model: Type.Optional(Type.String()),
  kind: StringEnum(FAULT_KINDS, expecting(`one of ${FAULT_KINDS.join(', ')}`)),
  /** Probability per request, 0..1; default 1 (every request inside the window). */
  rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, ...expecting('a number in 0..1') })),
  /** Window in emulated seconds since the emulator started; open-ended when omitted. */
  from: seconds(),
  until: seconds(),
}, expecting('an object'));

const FaultsSchema = Type.Array(FaultSchema, expecting('an array'));

const SECRET_EXPECTED_CREDENTIALS = '{ accessKeyId: string, secretAccessKey: string }';
const FOREIGN_EXPECTED = 'tokens per minute >= 0 and below tokensPerMinute';
const toolChoiceKind = () => StringEnum(TOOL_CHOICE_KINDS as readonly ('auto' | 'any' | 'tool')[]);

const ModelSchema = Type.Object({
  /** Model or inference-profile id exactly as clients put it in the URL (decoded). */
  id: Type.String({ minLength: 1, ...expecting('a non-empty string') }),
  tokensPerMinute: Type.Number({ exclusiveMinimum: 0, ...expecting('a positive number') }),
  requestsPerMinute: positive(),
  /** Emulated ms before the first output token; default per model family (docs/emulator.md). */
  firstTokenMs: Type.Optional(Type.Number({ minimum: 0, ...expecting('ms >= 0') })),
  outputTokensPerSecond: positive(),
  // An analysis config's models (toolChoice: "tool" | "auto", the kind the engine sends) are
  // accepted as they are: the model then accepts that one kind.
  toolChoice: Type.Optional(Type.Union(
    [toolChoiceKind(), Type.Array(toolChoiceKind(), { minItems: 1 })],
    expecting(`a non-empty array of ${quoted(TOOL_CHOICE_KINDS)}`),
  )),
  access: only('denied'),
  /** `maxTokens` used when a request sets none; default per family. */
  defaultMaxTokens: positive(),
  /** Largest `maxTokens` accepted; above it → ValidationException. Default per family. */
  maxOutputTokens: positive(),
  /** Count the contract's estimate times this ratio, on input and output; default: a real encoding, scaled per family (tokenizer.ts). */
  tokenRatio: Type.Optional(Type.Number({ minimum: MIN_TOKEN_RATIO, maximum: MAX_TOKEN_RATIO, ...expecting(`a number in ${MIN_TOKEN_RATIO}..${MAX_TOKEN_RATIO}`) })),
  /** Tokens per minute someone else on the account spends from this quota, spread evenly; default 0 (foreignTenant.ts). */
  foreignTokensPerMinute: Type.Optional(Type.Number({ minimum: 0, ...expecting(FOREIGN_EXPECTED) })),
  /** Tokens per rolling 24 h (input + output); above it → 429 "Too many tokens per day". Default: none (limits.ts). */
  tokensPerDay: positive(),
  /** Calls in flight at most; more → 503 "Too many connections". Default: none (limits.ts). */
  maxConcurrency: Type.Optional(Type.Integer({ minimum: 1, ...expecting('an integer >= 1') })),
  /** `"unlisted"`: Service Quotas lists no quota for this model (serviceQuotas.ts). Default: listed. */
  serviceQuota: only('unlisted'),
  /** Converse `serviceTier.type` values accepted; another → 400 ValidationException. Default per family (serviceTier.ts). */
  serviceTiers: Type.Optional(Type.Array(StringEnum(SERVICE_TIER_NAMES), expecting(`an array of ${quoted(SERVICE_TIER_NAMES)}`))),
}, expecting('an object'));

const ServiceQuotasSchema = Type.Object({
  /** `"denied"`: every call gets AccessDeniedException (no `servicequotas:ListServiceQuotas`). */
  access: only('denied'),
  /** Quotas per page, at most the request's MaxResults; small by default so clients must page. */
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, ...expecting('an integer in 1..100') })),
}, expecting('an object'));

const EmulatorConfigSchema = Type.Object({
  models: Type.Array(ModelSchema, { minItems: 1, ...expecting('a non-empty array') }),
  faults: Type.Optional(FaultsSchema),
  /** When set, SigV4 signatures are verified against this key pair. */
  credentials: Type.Optional(Type.Object(
    { accessKeyId: Type.String(), secretAccessKey: Type.String() },
    expecting(SECRET_EXPECTED_CREDENTIALS),
  )),
  /** When set, a Bedrock API key (`Authorization: Bearer …`) must be one of these. */
  apiKeys: Type.Optional(Type.Array(
    Type.String({ pattern: '^\\S+$' }),
    { minItems: 1 },
  )),
  /** Seed of the fault dice, so a run with faults repeats. Default 1. */
  seed: Type.Optional(Type.Integer(expecting('an integer'))),
  /** Largest request body accepted; larger → 400 ValidationException. Default 8 MiB. */
  maxBodyBytes: positive(),
  serviceQuotas: Type.Optional(ServiceQuotasSchema),
}, expecting('an object'));

function fail(path: string, expected: string, got: unknown): never {
  throw new TypeError(`Invalid emulator config: ${path} should be ${expected}, got ${JSON.stringify(got)}`);
}

/** A secret's shape for an error ("3 entries", "number"), never its value. */
function withoutSecret(value: unknown): string {
  return Array.isArray(value) ? `${value.length} entries` : typeof value;
}

/** What a secret field must be; its errors name the field and its shape, never a key. */
const SECRET_EXPECTED: Record<string, string> = {
  apiKeys: 'a non-empty array of API keys (strings without spaces)',
  credentials: SECRET_EXPECTED_CREDENTIALS,
};

/** Throws the first thing wrong with `value`; `prefix` is where it sits (`faults`, or '' for the root). */
function check(schema: TSchema, value: unknown, prefix: string): void {
  const issue = firstIssue(schema, value);
  if (!issue) return;
  const path = issue.path === '' ? prefix || '(root)' : !prefix ? issue.path : issue.path.startsWith('[') ? `${prefix}${issue.path}` : `${prefix}.${issue.path}`;
  const secret = /^(apiKeys|credentials)\b/.exec(path)?.[1];
  if (secret) fail(secret, SECRET_EXPECTED[secret]!, withoutSecret((value as Record<string, unknown>)[secret]));
  fail(path, issue.expected, issue.got);
}

export function validateFaults(faults: unknown, path = 'faults'): EmulatorFault[] {
  check(FaultsSchema, faults, path);
  return faults as EmulatorFault[];
}

export function validateEmulatorConfig(config: unknown): EmulatorConfig {
  check(EmulatorConfigSchema, config, '');
  const parsed = config as Static<typeof EmulatorConfigSchema>;
  const seen = new Set<string>();
  const models = parsed.models.map((m, i) => {
    if (seen.has(m.id)) fail(`models[${i}].id`, 'unique', m.id);
    seen.add(m.id);
    if (m.foreignTokensPerMinute !== undefined && m.foreignTokensPerMinute >= m.tokensPerMinute) {
      fail(`models[${i}].foreignTokensPerMinute`, FOREIGN_EXPECTED, m.foreignTokensPerMinute);
    }
    return typeof m.toolChoice === 'string' ? { ...m, toolChoice: [m.toolChoice] } : m;
  });
  return { ...parsed, models } as EmulatorConfig;
}

/** The shapes config.ts names (EmulatorConfig, EmulatorFault, …), as the schema accepts them. */
export type EmulatorFaultInput = Static<typeof FaultSchema>;
export type EmulatorModelInput = Static<typeof ModelSchema>;
export type EmulatorServiceQuotasInput = Static<typeof ServiceQuotasSchema>;
export type EmulatorConfigInput = Static<typeof EmulatorConfigSchema>;
