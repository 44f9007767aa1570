/**
 * ConverseStream's wire format: AWS event-stream frames (`application/vnd.amazon.eventstream`),
 * one JSON event per frame, named by the `:event-type` header. The SDK's ConverseStreamCommand
 * decodes exactly these.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { Answer, AnswerBlock } from './answer';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return encodeMessage('event', ':event-type', eventType, payload);
}

/** An error inside a running stream, e.g. `modelStreamErrorException` (the SDK throws it mid-iteration). */
export function encodeException(exceptionType: string, payload: unknown): Uint8Array {
  return encodeMessage('exception', ':exception-type', exceptionType, payload);
}

/** An event-stream frame: its kind, the header naming it, and a JSON body. */
function encodeMessage(messageType: 'event' | 'exception', nameHeader: string, name: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      [nameHeader]: { type: 'string', value: name },
      ':message-type': { type: 'string', value: messageType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** A step of the stream: frames to send after waiting `tokens` worth of generation time. */
export interface StreamStep {
  tokens: number;
  frames: Uint8Array[];
}

/** Splits text into about `parts` pieces (the deltas a model would stream). */
function pieces(text: string, parts: number): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function blockFrames(block: AnswerBlock, index: number, outputTokens: number, deltas: number): StreamStep[] {
  const text = block.kind === 'text' ? block.text : block.inputJson;
  const parts = pieces(text, deltas);
  const steps: StreamStep[] = [];
  if (block.kind === 'toolUse') {
    steps.push({ tokens: 0, frames: [encodeEvent('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId: block.toolUseId, name: block.name } } })] });
  }
  for (const part of parts) {
    const delta = block.kind === 'text' ? { text: part } : { toolUse: { input: part } };
    const tokens = Math.max(1, Math.round((outputTokens * part.length) / Math.max(1, text.length)));
    steps.push({ tokens, frames: [encodeEvent('contentBlockDelta', { contentBlockIndex: index, delta })] });
  }
  steps.push({ tokens: 0, frames: [encodeEvent('contentBlockStop', { contentBlockIndex: index })] });
  return steps;
}

/** The whole stream of an answer, in order; the caller paces it on the emulator's clock. */
export function streamSteps(answer: Answer, usage: { inputTokens: number }, latencyMs: () => number, deltas = 8): StreamStep[] {
  const steps: StreamStep[] = [{ tokens: 0, frames: [encodeEvent('messageStart', { role: 'assistant' })] }];
  answer.blocks.forEach((block, i) => steps.push(...blockFrames(block, i, answer.outputTokens, deltas)));
  steps.push({ tokens: 0, frames: [encodeEvent('messageStop', { stopReason: answer.stopReason })] });
  const inputTokens = usage.inputTokens;
  const outputTokens = answer.outputTokens;
  // Metadata is encoded last, lazily, so it reports the latency actually slept.
  steps.push({
    tokens: 0,
    get frames() {
      return [encodeEvent('metadata', { usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }, metrics: { latencyMs: latencyMs() } })];
    },
  });
  return steps;
}
