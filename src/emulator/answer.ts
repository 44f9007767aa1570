/**
 * What the emulated model says: findings from the rules, shaped as a findings-tool call or as
 * JSON in text, then bent by content faults and cut at maxTokens like a real model would be.
 */
import type { FaultKind } from './config';
import { stopReasonFault } from './faults';
import type { ReadFile } from './promptReader';
import type { OfferedTool } from './request';
import { findFindings, type EmulatedFinding } from './rules';
import { tokenizerOf, type Tokenizer } from './tokenizer';

export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'model_context_window_exceeded'
  | 'malformed_tool_use'
  | 'malformed_model_output'
  | 'content_filtered'
  | 'guardrail_intervened';

/** What a guardrail's default blocked-output message says in place of the model's answer. */
export const GUARDRAIL_MESSAGE = 'Sorry, the model cannot answer this question.';

export type AnswerBlock =
  | { kind: 'text'; text: string }
  /** `inputJson` is the text streamed in toolUse deltas; `input` what Converse returns whole. */
  | { kind: 'toolUse'; toolUseId: string; name: string; input: unknown; inputJson: string };

export interface Answer {
  blocks: AnswerBlock[];
  stopReason: StopReason;
  outputTokens: number;
  findings: number;
}

export interface AnswerOptions {
  files: readonly ReadFile[];
  /** Answer by calling this tool (as the request offered it), else with JSON in text. */
  tool?: OfferedTool;
  maxTokens: number;
  fault?: FaultKind;
  toolUseId: string;
  /** How this model counts (tokenizer.ts); default: the contract's estimate. */
  tokenizer?: Tokenizer;
}

const PROSE =
  'I reviewed the files you shared. Overall the code looks reasonable, although some error handling could be ' +
  'more careful and a few comments mention unfinished work. Let me know if you would like a deeper review.';

function bend(findings: EmulatedFinding[], files: readonly ReadFile[], fault: FaultKind | undefined): EmulatedFinding[] {
  const firstFile = files[0];
  const filler = (file: string, line: number): EmulatedFinding => ({
    file, startLine: line, endLine: line, severity: 'warning', ruleId: 'emulator-fault', message: 'Injected by the emulator.',
  });
  if (fault === 'foreign-files') {
    const moved = findings.map((f) => ({ ...f, file: `elsewhere/${f.file}` }));
    return moved.length > 0 ? moved : [filler('elsewhere/not-in-this-batch.ts', 1)];
  }
  if (fault === 'lines-past-end') {
    const past = (f: EmulatedFinding) => {
      const file = files.find((p) => p.path === f.file);
      const end = file ? file.firstLine + file.lines.length - 1 : f.endLine;
      return { ...f, startLine: end + 10, endLine: end + 12 };
    };
    const bent = findings.map(past);
    return bent.length > 0 ? bent : firstFile ? [past(filler(firstFile.path, 1))] : [];
  }
  return findings;
}

export function composeAnswer(options: AnswerOptions): Answer {
  const { files, tool, maxTokens, fault, toolUseId } = options;
  const useTool = tool !== undefined;
  const toolName = tool?.name ?? '';
  // The list goes where the tool's schema wants it; in text, where the system prompt says (`findings`).
  const listField = tool?.listField ?? 'findings';
  const tokenizer = options.tokenizer ?? tokenizerOf({ countWith: 'estimate', tokenRatio: 1 });
  const findings = bend(findFindings(files), files, fault);

  if (fault === 'prose') return finish({ kind: 'text', text: PROSE }, 'end_turn', maxTokens, 0, tokenizer);
  const stopped = stopReasonFault(fault, files.length) as StopReason | undefined;
  if (stopped) return stoppedAnswer(stopped, tool, toolUseId, maxTokens, tokenizer);

  // A model fills the fields the offered schema names, no others (a field the tool no longer has is not sent).
  const fields = tool?.itemFields;
  const shaped = fields ? findings.map((f) => Object.fromEntries(Object.entries(f).filter(([k]) => fields.includes(k)))) : findings;
  let input: unknown = { [listField]: shaped };
  if (fault === 'malformed-tool') {
    // Valid JSON that breaks the schema: wrong types, missing fields, an unknown severity.
    input = { findings: [{ file: 42, line: 'seven', severity: 'catastrophic' }], note: 'not in the schema' };
  }
  let inputJson = JSON.stringify(input);
  if (fault === 'malformed-tool' && !useTool) inputJson = `{"findings": [{file: 'a.ts', startLine: 1,}]`;

  const full = useTool
    ? ({ kind: 'toolUse', toolUseId, name: toolName, input, inputJson } as const)
    : ({ kind: 'text', text: inputJson } as const);
  const budget = fault === 'truncated-tool' ? Math.min(maxTokens, Math.floor(tokenizer.count(inputJson) / 2)) : maxTokens;
  return finish(full, useTool ? 'tool_use' : 'end_turn', budget, findings.length, tokenizer);
}

function finish(block: AnswerBlock, stopReason: StopReason, maxTokens: number, findings: number, tokenizer: Tokenizer): Answer {
  const text = block.kind === 'text' ? block.text : block.inputJson;
  const tokens = tokenizer.count(text);
  if (tokens <= maxTokens) return { blocks: [block], stopReason, outputTokens: Math.max(1, tokens), findings };
  // Over the cap: the output stops mid-JSON. A whole-response toolUse cannot carry half a JSON
  // document, so Converse returns an empty input (stream deltas carry the cut text).
  const partial = tokenizer.cut(text, maxTokens);
  const truncated: AnswerBlock =
    block.kind === 'text' ? { kind: 'text', text: partial } : { ...block, input: {}, inputJson: partial };
  return { blocks: [truncated], stopReason: 'max_tokens', outputTokens: Math.max(1, maxTokens), findings: 0 };
}

/**
 * An answer that ended for another reason than its end: what little the model wrote before the
 * window filled or the call went wrong, or the guardrail's message in place of the output.
 */
function stoppedAnswer(stopReason: StopReason, tool: OfferedTool | undefined, toolUseId: string, maxTokens: number, tokenizer: Tokenizer): Answer {
  const text = stopReason === 'guardrail_intervened' ? GUARDRAIL_MESSAGE : stopReason === 'model_context_window_exceeded' ? '{"findings": [' : '';
  const block: AnswerBlock =
    tool && (stopReason === 'malformed_tool_use' || stopReason === 'model_context_window_exceeded')
      ? { kind: 'toolUse', toolUseId, name: tool.name, input: {}, inputJson: text }
      : { kind: 'text', text };
  return { blocks: [block], stopReason, outputTokens: Math.min(maxTokens, Math.max(1, tokenizer.count(text))), findings: 0 };
}
