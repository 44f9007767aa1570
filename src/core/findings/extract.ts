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

export function extractFindingsInput(response: { toolInput?: unknown; text?: string }): Extracted {
  if (response.toolInput !== undefined) return { ok: true, value: response.toolInput };
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
      firstError ||= err instanceof Error ? err.message : String(err);
    }
  }
  if (fallback !== undefined) return { ok: true, value: fallback };
  return { ok: false, reason: `malformed model output: no findings JSON in the text${firstError ? ` (${firstError})` : ''}` };
}
