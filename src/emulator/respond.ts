/**
 * The admitted half of a request: compose the answer, spend the emulated latency on the emulator's
 * clock (first token + output tokens ÷ tokens per second), send it (whole or as an event stream),
 * or misbehave as a fault says; then settle the quota reservation and close the record.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import { composeAnswer, type Answer } from './answer';
import type { FaultKind, ResolvedModel } from './config';
import type { ReadFile } from './promptReader';
import type { OfferedTool } from './request';
import { EVENT_STREAM_CONTENT_TYPE, encodeException, streamSteps } from './eventStream';
import type { EmulatorRequestRecord, Ledger } from './ledger';
import type { QuotaEntry } from './quota';
import type { EmulatorState } from './state';
import { tokenizerOf } from './tokenizer';
import type { Exchange } from './transport';

export interface Admitted {
  model: ResolvedModel;
  counter: NonNullable<ReturnType<Ledger['counter']>>;
  entry: QuotaEntry;
  files: ReadFile[];
  maxTokens: number;
  /** The tool the answer calls (the request offered it and the model can be made to call tools), else text. */
  tool?: OfferedTool;
  fault?: FaultKind;
}

function msFor(model: ResolvedModel, tokens: number): number {
  return (tokens / model.outputTokensPerSecond) * 1000;
}

function converseBody(answer: Answer, inputTokens: number, latencyMs: number, serviceTier: string | undefined): string {
  const content = answer.blocks.map((b) =>
    b.kind === 'text' ? { text: b.text } : { toolUse: { toolUseId: b.toolUseId, name: b.name, input: b.input } },
  );
  return JSON.stringify({
    output: { message: { role: 'assistant', content } },
    stopReason: answer.stopReason,
    usage: { inputTokens, outputTokens: answer.outputTokens, totalTokens: inputTokens + answer.outputTokens },
    metrics: { latencyMs: Math.round(latencyMs) },
    // Bedrock names the tier that served the call (ConverseResponse.serviceTier); Standard when none was asked.
    serviceTier: { type: serviceTier ?? 'default' },
  });
}

/**
 * Sleeps until the clock reads `deadline`. Timers may fire a little early (a millisecond of real
 * time is a minute at scale 60 000), so we go back to sleep until the clock agrees.
 */
async function sleepUntil(clock: Clock, deadline: number, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < 100 && clock.now() < deadline; i++) await clock.sleep(deadline - clock.now(), signal);
}

/** Resolves when the client leaves or the emulator closes: how a hung request ends. */
function untilGone(ex: Exchange, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ex.closed || signal.aborted) return resolve();
    ex.onClose(resolve);
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

type Ending = 'ok' | 'reset' | 'hang' | 'aborted' | 'stream-error';

async function send(state: EmulatorState, ex: Exchange, record: EmulatorRequestRecord, a: Admitted, answer: Answer, stream: boolean, signal: AbortSignal): Promise<Ending> {
  const { clock } = state;
  const started = clock.now();
  const headers = { 'x-amzn-requestid': randomUUID() };
  if (a.fault === 'hang') {
    await untilGone(ex, signal);
    return 'hang';
  }
  if (!stream) {
    await sleepUntil(clock, started + a.model.firstTokenMs + msFor(a.model, answer.outputTokens), signal);
    if (ex.closed) return 'aborted';
    const body = converseBody(answer, record.inputTokens, clock.now() - started, record.serviceTier);
    ex.respond(200, { ...headers, 'content-type': 'application/json' });
    if (a.fault === 'reset') {
      ex.write(body.slice(0, Math.floor(body.length / 2)));
      ex.destroy();
      return 'reset';
    }
    ex.end(body);
    return 'ok';
  }
  if (ex.closed) return 'aborted';
  ex.respond(200, { ...headers, 'content-type': EVENT_STREAM_CONTENT_TYPE });
  const steps = streamSteps(answer, record, () => Math.round(clock.now() - started));
  // Deltas are due at fixed points of the model's timeline, so early or late timers do not add up.
  let due = started + a.model.firstTokenMs;
  await sleepUntil(clock, due, signal);
  for (const [i, step] of steps.entries()) {
    due += msFor(a.model, step.tokens);
    if (step.tokens > 0) await sleepUntil(clock, due, signal);
    if (ex.closed) return 'aborted';
    if (a.fault === 'reset' && i >= steps.length / 2) {
      ex.destroy();
      return 'reset';
    }
    if (a.fault === 'stream-error' && i >= steps.length / 2) {
      ex.end(encodeException('modelStreamErrorException', { message: 'The model stopped generating unexpectedly.', originalStatusCode: 500, originalMessage: 'Internal model error' }));
      return 'stream-error';
    }
    for (const frame of step.frames) ex.write(frame);
  }
  ex.end();
  return 'ok';
}

export async function answerRequest(state: EmulatorState, ex: Exchange, record: EmulatorRequestRecord, a: Admitted, operation: 'converse' | 'converse-stream'): Promise<void> {
  const answer = composeAnswer({
    files: a.files, ...(a.tool ? { tool: a.tool } : {}), maxTokens: a.maxTokens, fault: a.fault, toolUseId: `tooluse_${record.seq}_${randomUUID().slice(0, 8)}`, tokenizer: tokenizerOf(a.model),
  });
  // A client that leaves, or close(), wakes the sleep at once.
  const local = new AbortController();
  ex.onClose(() => local.abort());
  const signal = AbortSignal.any([local.signal, state.shutdown.signal]);
  a.counter.inFlight++;
  const started = state.clock.now();
  let ending: Ending;
  try {
    ending = await send(state, ex, record, a, answer, operation === 'converse-stream', signal);
  } catch {
    ending = 'aborted';
    if (!ex.closed) ex.destroy();
  } finally {
    a.counter.inFlight--;
  }
  // The model produced its output unless the request was abandoned before the answer was sent.
  const produced = ending === 'ok' || ending === 'reset' || ending === 'stream-error' ? answer.outputTokens : 0;
  const quota = state.quotas.get(a.model.id)!;
  quota.settle(a.entry, record.inputTokens + produced);
  record.outputTokens = produced;
  record.chargedTokens = a.entry.tokens;
  record.outcome = ending;
  record.status = ending === 'ok' || ending === 'reset' || ending === 'stream-error' ? 200 : undefined;
  record.stopReason = answer.stopReason;
  record.findings = answer.findings;
  record.latencyMs = Math.round(state.clock.now() - started);
  record.endTime = state.clock.now();
  a.counter.totalInputTokens += record.inputTokens;
  a.counter.totalOutputTokens += produced;
  a.counter.totalTokensCharged += a.entry.tokens;
  if (ending !== 'ok') a.counter.errored++;
}
