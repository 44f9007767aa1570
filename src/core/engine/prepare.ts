/**
 * The local half of a run, before any byte leaves the machine: discover the files, hold back the
 * ones that must never be sent, redact secrets from the rest and hash what remains (the cache key).
 */
import { createHash } from 'node:crypto';
import type { ChorusConfig } from '../config/types';
import { discover, type SkippedFile } from '../discover';
import type { Logger } from '../logger';
import { neverSendReason, redactSecrets } from '../redact';
import type { SourceFile } from '../types';
import type { AnalyzeRequest } from './api';

export interface Prepared {
  sources: SourceFile[];
  skipped: SkippedFile[];
  redactions: number;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function prepareFiles(request: AnalyzeRequest, config: ChorusConfig, logger: Logger): Promise<Prepared> {
  const found = await discover({
    root: request.root,
    include: config.include,
    exclude: config.exclude,
    maxFileKb: config.maxFileKb,
    ...(request.paths ? { paths: request.paths } : {}),
    ...(request.contents ? { contents: request.contents } : {}),
    ...(request.changedSince !== undefined ? { changedSince: request.changedSince } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const sources: SourceFile[] = [];
  const skipped = [...found.skipped];
  let redactions = 0;
  for (const file of found.files) {
    request.signal?.throwIfAborted();
    const never = neverSendReason(file.path, file.text);
    if (never) {
      skipped.push({ path: file.path, reason: never, code: 'secret-file' });
      continue;
    }
    let redacted;
    try {
      redacted = await redactSecrets(file.path, file.text);
    } catch (err) {
      // Unredacted text must never leave: a detector failure keeps the file home.
      skipped.push({ path: file.path, reason: `secret scan failed (${err instanceof Error ? err.message : String(err)}) — not sent`, code: 'secret-scan-failed' });
      continue;
    }
    if (redacted.redactions > 0) {
      logger.info(`redacted ${redacted.redactions} secret(s) (${redacted.kinds.join(', ')}) in ${file.path}`);
    }
    redactions += redacted.redactions;
    sources.push({ path: file.path, text: redacted.text, bytes: file.bytes, hash: sha256(redacted.text), redactions: redacted.redactions });
  }
  return { sources, skipped, redactions };
}
