/**
 * POST /model/{modelId}/converse and /converse-stream: the checks Bedrock makes, then the emulated
 * model's answer after an emulated latency (respond.ts). Every request leaves one record in the
 * ledger, whatever happens to it.
 */
import { randomUUID } from 'node:crypto';
import { authenticate } from './auth';
import { ServiceError, THROTTLE_MESSAGE, validation } from './errors';
import { isErrorFault } from './faults';
import type { EmulatorRequestRecord } from './ledger';
import { readPrompt } from './promptReader';
import { inputTokensOf, offeredTool, parseConverseInput } from './request';
import { answerRequest, type Admitted } from './respond';
import { serviceTierRefusal } from './serviceTier';
import type { EmulatorState } from './state';
import type { Exchange } from './transport';

interface Body {
  body: Buffer;
  bytes: number;
  tooLarge: boolean;
}
type Counter = NonNullable<ReturnType<EmulatorState['ledger']['counter']>>;
type Bodies = { system: string; prompt: string; body: string };

async function readBody(ex: Exchange, limit: number): Promise<Body> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  // Past the limit we keep draining (so the client sees our 400, not a broken pipe) but keep nothing.
  for await (const chunk of ex.body) {
    bytes += chunk.length;
    if (bytes <= limit) chunks.push(chunk);
  }
  return { body: bytes <= limit ? Buffer.concat(chunks) : Buffer.alloc(0), bytes, tooLarge: bytes > limit };
}

function sendError(ex: Exchange, error: ServiceError): void {
  if (ex.closed) return;
  ex.respond(error.status, { ...error.headers(), 'x-amzn-requestid': randomUUID() });
  ex.end(error.body());
}

/**
 * Bedrock's checks, in its order: auth, model, access, body, tool choice, output cap, then injected
 * faults and the quota. Fills the record as it learns; throws the ServiceError to answer with.
 */
async function decide(state: EmulatorState, ex: Exchange, read: Body, record: EmulatorRequestRecord, bodies: Bodies, counter: Counter | undefined): Promise<Admitted> {
  const { time, model: modelId, operation } = record;
  await authenticate({ method: ex.method, url: ex.url, headers: ex.headers, body: read.body }, state.config.credentials, state.config.apiKeys);
  const model = state.models.get(modelId);
  if (!model || !counter) throw new ServiceError('ResourceNotFoundException', 'The provided model identifier is invalid.');
  if (model.access === 'denied') throw new ServiceError('AccessDeniedException', "You don't have access to the model with the specified model ID.");
  if (read.tooLarge) throw validation(`The request body (${read.bytes} bytes) exceeds the limit of ${state.maxBodyBytes} bytes.`);

  const input = parseConverseInput(bodies.body);
  bodies.system = input.system.join('\n');
  bodies.prompt = input.userText.join('\n');
  const { files, notes } = readPrompt(bodies.prompt);
  record.files = files.map((f) => f.path);
  if (notes.length > 0) record.promptNotes = notes;
  record.inputTokens = inputTokensOf(input, model);
  if (input.toolChoice) record.toolChoice = input.toolChoice;
  if (input.toolChoice && !model.toolChoice.includes(input.toolChoice)) {
    throw validation(`This model doesn't support the toolChoice ${input.toolChoice}. Supported: ${model.toolChoice.join(', ')}.`);
  }
  const tier = (input.serviceTier as { type?: unknown } | undefined)?.type;
  if (typeof tier === 'string') record.serviceTier = tier;
  const tierRefused = serviceTierRefusal(input.serviceTier, model.serviceTiers, model.id);
  if (tierRefused) throw tierRefused;
  const maxTokens = input.maxTokens ?? model.defaultMaxTokens;
  record.maxTokens = maxTokens;
  if (maxTokens > model.maxOutputTokens) {
    throw validation(`The maximum tokens you requested exceeds the model limit of ${model.maxOutputTokens}. Try again with a maximum tokens value that is lower than ${model.maxOutputTokens}.`);
  }

  const fault = state.faults.pick(model.id, (time - state.startedAt) / 1000);
  if (fault) record.fault = fault;
  if (fault && isErrorFault(fault)) throw new ServiceError(fault);
  if (fault === 'throttle') throw new ServiceError('ThrottlingException', THROTTLE_MESSAGE);
  // Converse has no stream to break: the same model failure arrives as a whole-response error.
  if (fault === 'stream-error' && operation === 'converse') throw new ServiceError('ModelErrorException');

  const reserved = record.inputTokens + maxTokens;
  const limits = state.limits.get(model.id)!;
  const refused = limits.refusal(time, reserved);
  if (refused) throw refused;
  const admission = state.quotas.get(model.id)!.admit(time, reserved);
  if (!admission.ok) {
    throw new ServiceError('ThrottlingException', admission.reason === 'requests' ? 'Too many requests, please wait before trying again.' : THROTTLE_MESSAGE);
  }
  limits.track(admission.entry);
  record.reservedTokens = reserved;
  counter.accepted++;
  // A model that cannot be made to call tools (auto only, as Llama) answers in text, as it does on Bedrock.
  const tool = model.toolChoice.some((k) => k !== 'auto') ? offeredTool(input) : undefined;
  return { model, counter, entry: admission.entry, files, maxTokens, ...(tool ? { tool } : {}), fault };
}

export async function handleConverse(state: EmulatorState, ex: Exchange, rawModelId: string, operation: 'converse' | 'converse-stream'): Promise<void> {
  let read: Body;
  try {
    read = await readBody(ex, state.maxBodyBytes);
  } catch {
    return; // The client went away while sending; nothing to answer.
  }
  let modelId = rawModelId;
  try {
    modelId = decodeURIComponent(rawModelId);
  } catch {
    // Keep the raw id: it will not match a model and gets a 404.
  }
  const time = state.clock.now();
  const bodyText = read.tooLarge ? '' : read.body.toString('utf8');
  const bodies: Bodies = { system: '', prompt: '', body: bodyText };
  const record: EmulatorRequestRecord = state.ledger.add(
    {
      seq: state.nextSeq(), time, sinceStartMs: time - state.startedAt, model: modelId, operation, protocol: ex.protocol,
      outcome: 'pending', bytes: read.bytes, files: [], inputTokens: 0, outputTokens: 0, reservedTokens: 0, chargedTokens: 0,
    },
    bodies,
  );
  const counter = state.ledger.counter(modelId);
  if (counter) {
    counter.received++;
    counter.bytesReceived += read.bytes;
  } else {
    state.ledger.unrouted++;
  }

  let admitted: Admitted;
  try {
    admitted = await decide(state, ex, read, record, bodies, counter);
  } catch (error) {
    const service = error instanceof ServiceError ? error : new ServiceError('InternalServerException', String(error));
    record.outcome = service.errorName === 'ThrottlingException' ? 'throttled' : service.errorName;
    record.status = service.status;
    record.endTime = state.clock.now();
    if (counter) {
      if (record.outcome === 'throttled') counter.throttled++;
      else counter.errored++;
    }
    sendError(ex, service);
    return;
  }
  await answerRequest(state, ex, record, admitted, operation);
}
