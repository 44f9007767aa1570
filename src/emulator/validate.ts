/**
 * The emulator config's one schema (TypeBox): checked once at start, and every error says exactly
 * what is wrong, with the path of the offending field, instead of failing later on the first request.
 * The interfaces in config.ts must describe the same values: the `Same` checks at the bottom make a
 * drift between them and the schema a compile error.
 *
 * Fields the emulator does not know are ignored (an analysis config carries many), so one file can
 * describe both sides. Secrets (credentials, API keys) are never echoed in an error.
 */
import { expecting, firstIssue, StringEnum, Type, type Static, type TSchema } from '../core/schema';
import {
  FAULT_KINDS, SERVICE_TIER_NAMES, TOOL_CHOICE_KINDS, type EmulatorConfig, type EmulatorFault, type EmulatorModelConfig,
  type EmulatorServiceQuotasConfig,
} from './config';
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
  id: Type.String({ minLength: 1, ...expecting('a non-empty string') }),
  tokensPerMinute: Type.Number({ exclusiveMinimum: 0, ...expecting('a positive number') }),
  requestsPerMinute: positive(),
  firstTokenMs: Type.Optional(Type.Number({ minimum: 0, ...expecting('ms >= 0') })),
  outputTokensPerSecond: positive(),
  // An analysis config's models (toolChoice: "tool" | "auto", the kind the engine sends) are
  // accepted as they are: the model then accepts that one kind.
  toolChoice: Type.Optional(Type.Union(
    [toolChoiceKind(), Type.Array(toolChoiceKind(), { minItems: 1 })],
    expecting(`a non-empty array of ${quoted(TOOL_CHOICE_KINDS)}`),
  )),
  access: only('denied'),
  defaultMaxTokens: positive(),
  maxOutputTokens: positive(),
  tokenRatio: Type.Optional(Type.Number({ minimum: MIN_TOKEN_RATIO, maximum: MAX_TOKEN_RATIO, ...expecting(`a number in ${MIN_TOKEN_RATIO}..${MAX_TOKEN_RATIO}`) })),
  foreignTokensPerMinute: Type.Optional(Type.Number({ minimum: 0, ...expecting(FOREIGN_EXPECTED) })),
  tokensPerDay: positive(),
  maxConcurrency: Type.Optional(Type.Integer({ minimum: 1, ...expecting('an integer >= 1') })),
  serviceQuota: only('unlisted'),
  serviceTiers: Type.Optional(Type.Array(StringEnum(SERVICE_TIER_NAMES), expecting(`an array of ${quoted(SERVICE_TIER_NAMES)}`))),
}, expecting('an object'));

const ServiceQuotasSchema = Type.Object({
  access: only('denied'),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, ...expecting('an integer in 1..100') })),
}, expecting('an object'));

const EmulatorConfigSchema = Type.Object({
  models: Type.Array(ModelSchema, { minItems: 1, ...expecting('a non-empty array') }),
  faults: Type.Optional(FaultsSchema),
  credentials: Type.Optional(Type.Object(
    { accessKeyId: Type.String(), secretAccessKey: Type.String() },
    expecting(SECRET_EXPECTED_CREDENTIALS),
  )),
  apiKeys: Type.Optional(Type.Array(
    Type.String({ pattern: '^\\S+$' }),
    { minItems: 1 },
  )),
  seed: Type.Optional(Type.Integer(expecting('an integer'))),
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

// The schema and config.ts's interfaces describe the same values (toolChoice is normalized to an array).
/** Each assignable to the other, with the same keys (optional ones too, which assignability alone lets differ). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
type ModelAfterParse = Omit<Static<typeof ModelSchema>, 'toolChoice'> & { toolChoice?: EmulatorModelConfig['toolChoice'] };
const sameShapes: [
  Same<Static<typeof FaultSchema>, EmulatorFault>,
  Same<ModelAfterParse, EmulatorModelConfig>,
  Same<Static<typeof ServiceQuotasSchema>, EmulatorServiceQuotasConfig>,
] = [true, true, true];
void sameShapes;
