/**
 * Cutting a file that is larger than any batch of its model into line ranges. Each chunk keeps the
 * original line numbers (BatchFile.firstLine), so findings still point at the right lines.
 */
import type { BatchFile } from './types';

export interface ChunkLimits {
  /** Largest chunk text in UTF-8 bytes. */
  maxBytes: number;
  /** Largest rendered chunk in tokens (the contract's estimate: 4 bytes a token). */
  maxTokens: number;
}

/** Bytes the file marker lines add around a chunk; generous, so a chunk never overshoots. */
const MARKER_BYTES = 96;

function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Chunks of `file` within the limits, or the reason it cannot be chunked. */
export function chunkFile(file: { path: string; text: string; hash: string }, limits: ChunkLimits): BatchFile[] | { reason: string } {
  const pathBytes = Buffer.byteLength(file.path, 'utf8');
  const renderedLimit = limits.maxTokens * 4 - MARKER_BYTES - pathBytes;
  const lines = splitLines(file.text);
  const chunks: { firstLine: number; lines: string[]; bytes: number }[] = [];
  let current = { firstLine: 1, lines: [] as string[], bytes: 0 };
  let rendered = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineBytes = Buffer.byteLength(line, 'utf8') + 1;
    // "123| " prefix in the prompt, plus the newline.
    const lineRendered = lineBytes + String(i + 1).length + 2;
    if (lineBytes > limits.maxBytes || lineRendered > renderedLimit) {
      return { reason: `line ${i + 1} alone is larger than a batch of its model (${lineBytes} bytes)` };
    }
    if (current.lines.length > 0 && (current.bytes + lineBytes > limits.maxBytes || rendered + lineRendered > renderedLimit)) {
      chunks.push(current);
      current = { firstLine: i + 1, lines: [], bytes: 0 };
      rendered = 0;
    }
    current.lines.push(line);
    current.bytes += lineBytes;
    rendered += lineRendered;
  }
  if (current.lines.length > 0) chunks.push(current);
  return chunks.map((c, index) => {
    const text = c.lines.join('\n') + '\n';
    return {
      path: file.path,
      text,
      firstLine: c.firstLine,
      bytes: Buffer.byteLength(text, 'utf8'),
      hash: file.hash,
      chunk: { index, count: chunks.length },
    };
  });
}
