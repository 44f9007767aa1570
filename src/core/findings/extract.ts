/**
 * Where a model's findings are: the findings tool's input when it called the tool, otherwise a JSON
 * object in its text (Llama answers with `toolChoice: auto`, sometimes inside ``` fences, sometimes
 * with a sentence around it).
 */

export type Extracted = { ok: true; value: unknown } | { ok: false; reason: string };

/** Every top-level balanced `{…}` span in `text`, skipping braces inside JSON strings. */
function objectSpans(text: string): string[] {
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) spans.push(text.slice(start, i + 1));
    }
  }
  return spans;
}

/**
 * Where a JSON.parse failure was, by class and position only: V8's message quotes the text it choked
 * on, and that text is the model's — possibly the user's code or a secret it echoed.
 */
export function describeParseError(err: unknown, length: number): string {
  const name = err instanceof Error ? err.name : 'Error';
  const position = err instanceof Error ? /\bposition (\d+)/.exec(err.message)?.[1] : undefined;
  return position !== undefined ? `${name} at position ${position} of ${length} characters` : `${name} in ${length} characters`;
}

export interface ExtractableResponse {
  toolInput?: unknown;
  toolUseRejected?: string;
  text?: string;
  /** Text is findings only when the call let the model choose (`auto`); a forced tool must be called. */
  toolChoice?: 'tool' | 'auto';
}

export function extractFindingsInput(response: ExtractableResponse): Extracted {
  if (response.toolInput !== undefined) return { ok: true, value: response.toolInput };
  if (response.toolUseRejected) return { ok: false, reason: `not findings: ${response.toolUseRejected}` };
  if (response.toolChoice === 'tool') return { ok: false, reason: 'malformed model output: no call to the findings tool it was required to call' };
  const text = response.text?.trim();
  if (!text) return { ok: false, reason: 'malformed model output: neither a tool call nor text' };
  let firstError = '';
  // Prefer an object that has a `findings` key; otherwise the first object that parses.
  let fallback: unknown;
  for (const span of objectSpans(text)) {
    try {
      const value: unknown = JSON.parse(span);
      if (value && typeof value === 'object' && 'findings' in value) return { ok: true, value };
      fallback ??= value;
    } catch (err) {
      firstError ||= describeParseError(err, span.length);
    }
  }
  if (fallback !== undefined) return { ok: true, value: fallback };
  return { ok: false, reason: `malformed model output: no findings JSON in ${text.length} characters of text${firstError ? ` (${firstError})` : ''}` };
}
