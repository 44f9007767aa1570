/**
 * The dashboard's message map, shared by the extension host (src/extension/dashboard) and the page
 * (src/webview). Both sides treat what they receive as untrusted: every message passes through one
 * of the hand-written validators below, which rebuild the value field by field (unknown fields are
 * dropped) and bound every array and string, so a bad or hostile message costs a log line, never a
 * broken page or an unbounded allocation.
 *
 * The handshake: the page posts `ready` first (with the newest sample time it restored from its
 * saved state); the host posts nothing before that, then an `update` with the backlog after `since`,
 * then at most one `update` per second.
 */
import type { BatchOutcomeKind, BatchRecord, ModelSnapshot, RunSnapshot } from './metrics/types';

export type RunState = 'running' | 'finished' | 'cancelled';

export interface RunInfo {
  id: string;
  state: RunState;
  /** How the run's files left it so far, counted by the host from the engine's file-done events. */
  outcomes?: RunOutcomes;
}

export interface RunOutcomes {
  analyzed: number;
  /** Of the analyzed, served from the cache. */
  cached: number;
  skipped: number;
  failed: number;
}

/** One metrics event: the snapshot and the run it belongs to (the page breaks its lines between runs). */
export interface Frame {
  runId: string;
  snapshot: RunSnapshot;
}

/** A run's totals, counted from its result (the report knows them; the live page does not). */
export interface RunTotals {
  files: number;
  analyzed: number;
  /** Analyzed files served from the result cache (no request). */
  cached: number;
  skipped: number;
  failed: number;
  /** Requests sent in this run. */
  requests: number;
  /** Tokens charged in this run (input + output, every model). */
  tokens: number;
  /** Sum of the quotas of the models that stayed in the run (tokens/min). */
  quotaTpm: number;
  elapsedMs: number;
}

export type FindingSeverity = 'error' | 'warning' | 'info';

/** One finding as the report's table shows it. Model output: only ever rendered as text. */
export interface ReportFinding {
  file: string;
  line: number;
  severity: FindingSeverity;
  ruleId: string;
  message: string;
  model: string;
  /** The rule's documentation (src/core/catalogue, never the model's): an https URL. */
  helpUri?: string;
  /** The rule's title from the catalogue. */
  ruleTitle?: string;
}

/** What only a `--report` file carries: the run's totals and its findings. */
export interface ReportPart {
  totals: RunTotals;
  findings: ReportFinding[];
  /** Findings in the run; more than `findings` holds when the report kept only the first ones. */
  findingsTotal: number;
}

/** Host → page. */
export interface HostToPage {
  update: { run: RunInfo | null; frames: Frame[]; report?: ReportPart };
}

/** Page → host. */
export interface PageToHost {
  /** `since`: the `at` of the newest sample the page already holds (null when it starts empty). */
  ready: { since: number | null };
  /** The page rejected a message; the host logs it. */
  'protocol-error': { detail: string };
}

type Messages<Map> = { [K in keyof Map]: { type: K } & Map[K] }[keyof Map];
export type HostMessage = Messages<HostToPage>;
export type PageMessage = Messages<PageToHost>;

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

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

const BATCH_OUTCOMES: readonly BatchOutcomeKind[] = ['ok', 'failed', 'throttled', 'retried', 'cancelled'];
const RUN_STATES: readonly RunState[] = ['running', 'finished', 'cancelled'];
export const FINDING_SEVERITIES: readonly FindingSeverity[] = ['error', 'warning', 'info'];
const TOTALS = ['files', 'analyzed', 'cached', 'skipped', 'failed', 'requests', 'tokens', 'quotaTpm', 'elapsedMs'] as const satisfies readonly (keyof RunTotals)[];

const MODEL_COUNTS = [
  'quotaTpm', 'effectiveTpm', 'requests', 'inputTokens', 'outputTokens', 'throttles', 'errors', 'retries',
  'fallbacksIn', 'fallbacksOut', 'spilloversIn', 'spilloversOut', 'inFlight', 'latencyP50Ms', 'latencyP95Ms',
  'costUsd', 'tokensPerMinute', 'requestsPerMinute',
] as const satisfies readonly (keyof ModelSnapshot)[];

class Invalid extends Error {}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

function fail(path: string, expected: string, got: unknown): never {
  throw new Invalid(`${path}: expected ${expected}, got ${describe(got)}`);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Record<string, unknown>;
}

function count(o: Record<string, unknown>, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${path}.${key}`, 'a finite number ≥ 0', v);
  return v;
}

function text(o: Record<string, unknown>, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length > PROTOCOL_LIMITS.textLength) {
    fail(`${path}.${key}`, `a string of at most ${PROTOCOL_LIMITS.textLength} characters`, v);
  }
  return v;
}

function oneOf<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[], path: string): T {
  const v = o[key];
  if (!allowed.includes(v as T)) fail(`${path}.${key}`, `one of ${allowed.join(', ')}`, v);
  return v as T;
}

function list<T>(value: unknown, max: number, path: string, item: (v: unknown, path: string) => T): T[] {
  if (!Array.isArray(value) || value.length > max) fail(path, `an array of at most ${max}`, value);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

function modelSnapshot(value: unknown, path: string): ModelSnapshot {
  const o = record(value, path);
  const queued = record(o.queued, `${path}.queued`);
  const model = { id: text(o, 'id', path), label: text(o, 'label', path) } as ModelSnapshot;
  for (const key of MODEL_COUNTS) model[key] = count(o, key, path);
  model.queued = {
    interactive: count(queued, 'interactive', `${path}.queued`),
    background: count(queued, 'background', `${path}.queued`),
  };
  if (o.disabledReason !== undefined) model.disabledReason = text(o, 'disabledReason', path);
  if (o.tokenRatio !== undefined) model.tokenRatio = count(o, 'tokenRatio', path);
  if (o.usageEstimated !== undefined) model.usageEstimated = count(o, 'usageEstimated', path);
  if (o.shared !== undefined) {
    const shared = record(o.shared, `${path}.shared`);
    model.shared = { accountTpm: count(shared, 'accountTpm', `${path}.shared`), ownTpm: count(shared, 'ownTpm', `${path}.shared`) };
  }
  if (o.tpmSeries !== undefined) {
    model.tpmSeries = list(o.tpmSeries, PROTOCOL_LIMITS.historyPoints, `${path}.tpmSeries`, (v, p) => {
      const point = record(v, p);
      return { at: count(point, 'at', p), tpm: count(point, 'tpm', p) };
    });
  }
  return model;
}

function batchRecord(value: unknown, path: string): BatchRecord {
  const o = record(value, path);
  return {
    batchId: text(o, 'batchId', path),
    model: text(o, 'model', path),
    files: count(o, 'files', path),
    inputTokens: count(o, 'inputTokens', path),
    outputTokens: count(o, 'outputTokens', path),
    outcome: oneOf(o, 'outcome', BATCH_OUTCOMES, path),
    reason: text(o, 'reason', path),
    at: count(o, 'at', path),
  };
}

function runSnapshot(value: unknown, path: string): RunSnapshot {
  const o = record(value, path);
  const snapshot: RunSnapshot = {
    at: count(o, 'at', path),
    filesTotal: count(o, 'filesTotal', path),
    filesDone: count(o, 'filesDone', path),
    models: list(o.models, PROTOCOL_LIMITS.models, `${path}.models`, modelSnapshot),
    utilization: count(o, 'utilization', path),
    recentBatches: list(o.recentBatches, PROTOCOL_LIMITS.batchesPerSnapshot, `${path}.recentBatches`, batchRecord),
  };
  if (o.etaMs !== undefined) snapshot.etaMs = count(o, 'etaMs', path);
  return snapshot;
}

function frame(value: unknown, path: string): Frame {
  const o = record(value, path);
  return { runId: text(o, 'runId', path), snapshot: runSnapshot(o.snapshot, `${path}.snapshot`) };
}

function runInfo(value: unknown, path: string): RunInfo | null {
  if (value === null) return null;
  const o = record(value, path);
  const run: RunInfo = { id: text(o, 'id', path), state: oneOf(o, 'state', RUN_STATES, path) };
  if (o.outcomes !== undefined) {
    const c = record(o.outcomes, `${path}.outcomes`);
    const at = `${path}.outcomes`;
    run.outcomes = { analyzed: count(c, 'analyzed', at), cached: count(c, 'cached', at), skipped: count(c, 'skipped', at), failed: count(c, 'failed', at) };
  }
  return run;
}

function reportFinding(value: unknown, path: string): ReportFinding {
  const o = record(value, path);
  return {
    file: text(o, 'file', path),
    line: count(o, 'line', path),
    severity: oneOf(o, 'severity', FINDING_SEVERITIES, path),
    ruleId: text(o, 'ruleId', path),
    message: text(o, 'message', path),
    model: text(o, 'model', path),
    ...(o.helpUri !== undefined ? { helpUri: httpsUrl(o, 'helpUri', path) } : {}),
    ...(o.ruleTitle !== undefined ? { ruleTitle: text(o, 'ruleTitle', path) } : {}),
  };
}

/** Only a plain https URL may become a link: no javascript:, data: or markup-breaking characters. */
function httpsUrl(o: Record<string, unknown>, key: string, path: string): string {
  const v = text(o, key, path);
  if (!/^https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[^\s"'<>`\\]*)?$/.test(v)) fail(`${path}.${key}`, 'an https URL', v);
  return v;
}

function reportPart(value: unknown, path: string): ReportPart {
  const o = record(value, path);
  const t = record(o.totals, `${path}.totals`);
  const totals = {} as RunTotals;
  for (const key of TOTALS) totals[key] = count(t, key, `${path}.totals`);
  return {
    totals,
    findings: list(o.findings, PROTOCOL_LIMITS.findings, `${path}.findings`, reportFinding),
    findingsTotal: count(o, 'findingsTotal', path),
  };
}

const hostValidators: { [K in keyof HostToPage]: (o: Record<string, unknown>) => HostToPage[K] } = {
  update: (o) => ({
    run: runInfo(o.run, 'update.run'),
    frames: list(o.frames, PROTOCOL_LIMITS.framesPerMessage, 'update.frames', frame),
    ...(o.report !== undefined ? { report: reportPart(o.report, 'update.report') } : {}),
  }),
};

const pageValidators: { [K in keyof PageToHost]: (o: Record<string, unknown>) => PageToHost[K] } = {
  ready: (o) => ({ since: o.since === null ? null : count(o, 'since', 'ready') }),
  'protocol-error': (o) => ({ detail: text(o, 'detail', 'protocol-error') }),
};

function validate<M>(validators: Record<string, (o: Record<string, unknown>) => unknown>, raw: unknown): Validation<M> {
  try {
    const o = record(raw, 'message');
    const type = o.type;
    if (typeof type !== 'string' || !Object.hasOwn(validators, type)) {
      fail('message.type', `one of ${Object.keys(validators).join(', ')}`, type);
    }
    const body = validators[type]!(o) as object;
    return { ok: true, value: { type, ...body } as M };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: err.message };
    throw err;
  }
}

/** Checks a message the page received from the host. */
export function validateHostMessage(raw: unknown): Validation<HostMessage> {
  return validate<HostMessage>(hostValidators, raw);
}

/** Checks a message the host received from the page. */
export function validatePageMessage(raw: unknown): Validation<PageMessage> {
  return validate<PageMessage>(pageValidators, raw);
}

/** Checks a snapshot the engine produced before it crosses the boundary (same rules as the page's). */
export function validateRunSnapshot(raw: unknown): Validation<RunSnapshot> {
  try {
    return { ok: true, value: runSnapshot(raw, 'snapshot') };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: err.message };
    throw err;
  }
}
