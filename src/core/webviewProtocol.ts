/**
 * The dashboard's message map, shared by the extension host (src/extension/dashboard) and the page
 * (src/webview). One TypeBox schema per message gives the types below and the runtime checks. Both
 * sides treat what they receive as untrusted: every message is checked against its schema, then
 * copied with only the fields the schema names (unknown fields are dropped); every array and
 * string is bounded, so a bad or hostile message costs a log line, never a broken page or an
 * unbounded allocation. The checks are interpreted (no `new Function`), so they run under the
 * webview's Content Security Policy.
 *
 * The handshake: the page posts `ready` first (with the newest sample time it restored from its
 * saved state); the host posts nothing before that, then an `update` with the backlog after `since`,
 * then at most one `update` per second.
 */
import type { BatchOutcomeKind, BatchRecord, ModelSnapshot, RunSnapshot } from './metrics/types';
import { expecting, firstIssue, project, StringEnum, Type, type Static, type TSchema } from './schema';

/** Bounds that keep one message (and the page's memory) small whatever the sender does. */
export const PROTOCOL_LIMITS = {
  models: 16,
  batchesPerSnapshot: 2000,
  framesPerMessage: 3600,
  /** Points of a model's recent tokens/min history (the engine sends 10 minutes at 10 s: 61). */
  historyPoints: 360,
  textLength: 500,
  /** Findings a report's table holds (the most severe first). */
  findings: 5000,
} as const;

const BATCH_OUTCOMES = ['ok', 'failed', 'throttled', 'retried', 'cancelled'] as const satisfies readonly BatchOutcomeKind[];
const RUN_STATES = ['running', 'finished', 'cancelled'] as const;
export const FINDING_SEVERITIES = ['error', 'warning', 'info'] as const;

const count = () => Type.Number({ minimum: 0, ...expecting('a finite number ≥ 0') });
const optionalCount = () => Type.Optional(count());
const text = () => Type.String({ maxLength: PROTOCOL_LIMITS.textLength, ...expecting(`a string of at most ${PROTOCOL_LIMITS.textLength} characters`) });
const oneOf = <const T extends readonly string[]>(values: T) => StringEnum(values, expecting(`one of ${values.join(', ')}`));
const list = <T extends TSchema>(item: T, max: number) => Type.Array(item, { maxItems: max, ...expecting(`an array of at most ${max}`) });
const object = <P extends Parameters<typeof Type.Object>[0]>(properties: P) => Type.Object(properties, expecting('an object'));

const ModelSnapshotSchema = object({
  id: text(),
  label: text(),
  quotaTpm: count(), effectiveTpm: count(), requests: count(), inputTokens: count(), outputTokens: count(),
  throttles: count(), errors: count(), retries: count(), fallbacksIn: count(), fallbacksOut: count(),
  spilloversIn: count(), spilloversOut: count(), usageEstimated: optionalCount(), tokenRatio: optionalCount(), effectiveRpm: optionalCount(),
  inFlight: count(),
  queued: object({ interactive: count(), background: count() }),
  latencyP50Ms: count(), latencyP95Ms: count(), costUsd: count(), tokensPerMinute: count(), requestsPerMinute: count(),
  tpmSeries: Type.Optional(list(object({ at: count(), tpm: count() }), PROTOCOL_LIMITS.historyPoints)),
  disabledReason: Type.Optional(text()),
  shared: Type.Optional(object({ accountTpm: count(), ownTpm: count() })),
});

const BatchRecordSchema = object({
  batchId: text(), model: text(), files: count(), inputTokens: count(), outputTokens: count(),
  outcome: oneOf(BATCH_OUTCOMES), reason: text(), at: count(),
});

export const RunSnapshotSchema = object({
  at: count(),
  filesTotal: count(),
  filesDone: count(),
  models: list(ModelSnapshotSchema, PROTOCOL_LIMITS.models),
  utilization: count(),
  etaMs: optionalCount(),
  recentBatches: list(BatchRecordSchema, PROTOCOL_LIMITS.batchesPerSnapshot),
});

/** How the run's files left it so far, counted by the host from the engine's file-done events. */
const RunOutcomesSchema = object({
  analyzed: count(),
  /** Of the analyzed, served from the cache. */
  cached: count(),
  skipped: count(),
  failed: count(),
});

const RunInfoSchema = object({ id: text(), state: oneOf(RUN_STATES), outcomes: Type.Optional(RunOutcomesSchema) });

/** One metrics event: the snapshot and the run it belongs to (the page breaks its lines between runs). */
const FrameSchema = object({ runId: text(), snapshot: RunSnapshotSchema });

/** A run's totals, counted from its result (the report knows them; the live page does not). */
const RunTotalsSchema = object({
  files: count(),
  analyzed: count(),
  /** Analyzed files served from the result cache (no request). */
  cached: count(),
  skipped: count(),
  failed: count(),
  /** Requests sent in this run. */
  requests: count(),
  /** Tokens charged in this run (input + output, every model). */
  tokens: count(),
  /** Sum of the quotas of the models that stayed in the run (tokens/min). */
  quotaTpm: count(),
  elapsedMs: count(),
});

/** Only a plain https URL may become a link: no javascript:, data: or markup-breaking characters. */
const httpsUrl = () => Type.String({
  maxLength: PROTOCOL_LIMITS.textLength,
  pattern: '^https://[A-Za-z0-9.-]+(?::\\d+)?(?:/[^\\s"\'<>`\\\\]*)?$',
  ...expecting('an https URL'),
});

/** One finding as the report's table shows it. Model output: only ever rendered as text. */
const ReportFindingSchema = object({
  file: text(),
  line: count(),
  severity: oneOf(FINDING_SEVERITIES),
  ruleId: text(),
  message: text(),
  model: text(),
  /** The rule's documentation (src/core/catalogue, never the model's): an https URL. */
  helpUri: Type.Optional(httpsUrl()),
  /** The rule's title from the catalogue. */
  ruleTitle: Type.Optional(text()),
});

/** What only a `--report` file carries: the run's totals and its findings. */
const ReportPartSchema = object({
  totals: RunTotalsSchema,
  findings: list(ReportFindingSchema, PROTOCOL_LIMITS.findings),
  /** Findings in the run; more than `findings` holds when the report kept only the first ones. */
  findingsTotal: count(),
});

/** Host → page. */
const HOST_MESSAGES = {
  update: object({
    type: Type.Literal('update'),
    run: Type.Union([RunInfoSchema, Type.Null()], expecting('an object or null')),
    frames: list(FrameSchema, PROTOCOL_LIMITS.framesPerMessage),
    report: Type.Optional(ReportPartSchema),
  }),
};

/** Page → host. */
const PAGE_MESSAGES = {
  /** `since`: the `at` of the newest sample the page already holds (null when it starts empty). */
  ready: object({ type: Type.Literal('ready'), since: Type.Union([count(), Type.Null()], expecting('a finite number ≥ 0 or null')) }),
  /** The page rejected a message; the host logs it. */
  'protocol-error': object({ type: Type.Literal('protocol-error'), detail: text() }),
};

export type RunState = (typeof RUN_STATES)[number];
export type RunOutcomes = Static<typeof RunOutcomesSchema>;
export type RunInfo = Static<typeof RunInfoSchema>;
export type Frame = Omit<Static<typeof FrameSchema>, 'snapshot'> & { snapshot: RunSnapshot };
export type RunTotals = Static<typeof RunTotalsSchema>;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];
export type ReportFinding = Static<typeof ReportFindingSchema>;
export type ReportPart = Static<typeof ReportPartSchema>;

type Body<M> = Omit<M, 'type'>;
/** Host → page, by message type. */
export interface HostToPage {
  update: Omit<Body<Static<typeof HOST_MESSAGES.update>>, 'frames'> & { frames: Frame[] };
}
/** Page → host, by message type. */
export interface PageToHost {
  ready: Body<Static<typeof PAGE_MESSAGES.ready>>;
  'protocol-error': Body<Static<typeof PAGE_MESSAGES['protocol-error']>>;
}

type Messages<Map> = { [K in keyof Map]: { type: K } & Map[K] }[keyof Map];
export type HostMessage = Messages<HostToPage>;
export type PageMessage = Messages<PageToHost>;

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

// The engine's metrics types (src/core/metrics/types.ts) and these schemas must describe the same
// values: each is assignable to the other, or this file does not compile.
/** Each assignable to the other, with the same keys (optional ones too, which assignability alone lets differ). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
const sameShapes: [Same<Static<typeof ModelSnapshotSchema>, ModelSnapshot>, Same<Static<typeof BatchRecordSchema>, BatchRecord>, Same<Static<typeof RunSnapshotSchema>, RunSnapshot>] = [true, true, true];
void sameShapes;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Checks `raw` against `schema`; a copy without unknown fields, or "<where>: expected …, got …". */
function check<T>(schema: TSchema, raw: unknown, where: string): Validation<T> {
  const issue = firstIssue(schema, raw);
  if (issue) {
    const path = issue.path === '' ? where : `${where}.${issue.path}`;
    return { ok: false, error: `${path}: expected ${issue.expected}, got ${describe(issue.got)}` };
  }
  return { ok: true, value: project(schema, raw as T) };
}

function validateMessage<M>(schemas: Record<string, TSchema>, raw: unknown): Validation<M> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: `message: expected an object, got ${describe(raw)}` };
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) {
    return { ok: false, error: `message.type: expected one of ${Object.keys(schemas).join(', ')}, got ${describe(type)}` };
  }
  return check<M>(schemas[type]!, raw, type);
}

/** Checks a message the page received from the host. */
export function validateHostMessage(raw: unknown): Validation<HostMessage> {
  return validateMessage<HostMessage>(HOST_MESSAGES, raw);
}

/** Checks a message the host received from the page. */
export function validatePageMessage(raw: unknown): Validation<PageMessage> {
  return validateMessage<PageMessage>(PAGE_MESSAGES, raw);
}

/** Checks a snapshot the engine produced before it crosses the boundary (same rules as the page's). */
export function validateRunSnapshot(raw: unknown): Validation<RunSnapshot> {
  return check<RunSnapshot>(RunSnapshotSchema, raw, 'snapshot');
}
