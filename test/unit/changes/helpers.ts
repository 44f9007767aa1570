/** A change review on fakes: the emulator's rules as the model, a real Dispatcher and ResultCache. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultCache } from '../../../src/core/cache';
import { parseUnifiedDiff, type DiffFile } from '../../../src/core/changes/diff';
import { reviewChanges, type ChangeReviewRequest, type ChangeReviewResult } from '../../../src/core/changes/review';
import { systemClock } from '../../../src/core/clock';
import type { ChorusConfig } from '../../../src/core/config/types';
import { parseBatchPrompt, type ParsedPromptFile } from '../../../src/core/contract';
import { createInterimScorer } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/engine/events';
import { silentLogger } from '../../../src/core/logger';
import { Dispatcher } from '../../../src/core/schedule';
import { FakeModels, testConfig } from '../engine/fakes';

export class Reviewer {
  readonly models = new FakeModels();
  readonly events: EngineEvent[] = [];
  readonly cache: ResultCache;
  readonly dispatcher: Dispatcher;
  private runs = 0;

  constructor(readonly config: ChorusConfig = testConfig(), cacheDir: string | undefined = mkdtempSync(join(tmpdir(), 'chorus-changes-cache-'))) {
    this.cache = new ResultCache(cacheDir);
    this.dispatcher = new Dispatcher({ models: config.models, providerFor: this.models.providerFor, clock: systemClock, logger: silentLogger, spillover: config.spillover });
  }

  review(request: Omit<ChangeReviewRequest, 'lane'> & { lane?: ChangeReviewRequest['lane'] }, baseline?: Set<string>): Promise<ChangeReviewResult> {
    return reviewChanges(
      {
        config: this.config,
        clock: systemClock,
        logger: silentLogger,
        cache: this.cache,
        dispatcher: this.dispatcher,
        scorer: createInterimScorer(),
        baseline: () => Promise.resolve(baseline),
        emit: (e) => this.events.push(e),
      },
      `run${++this.runs}`,
      { lane: 'background', ...request },
    );
  }

  /** Excerpts sent in calls made after `from` (index into models.calls). */
  sent(from = 0): ParsedPromptFile[] {
    return this.models.calls.slice(from).flatMap((c) => parseBatchPrompt(c.prompt));
  }

  dispose(): void {
    this.dispatcher.dispose();
  }
}

/** A diff of `before` → `after` for one file, by a tiny LCS-free line diff (one hunk per changed run). */
export function diffOf(path: string, before: string, after: string): DiffFile[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  let top = 0;
  while (top < a.length && top < b.length && a[top] === b[top]) top++;
  let tail = 0;
  while (tail < a.length - top && tail < b.length - top && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(top, a.length - tail);
  const added = b.slice(top, b.length - tail);
  const header = before === '' ? ['--- /dev/null', `+++ b/${path}`] : [`--- a/${path}`, `+++ b/${path}`];
  const oldStart = removed.length === 0 ? top : top + 1;
  const newStart = added.length === 0 ? top : top + 1;
  const text = [...header, `@@ -${oldStart},${removed.length} +${newStart},${added.length} @@`, ...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`), ''].join('\n');
  return parseUnifiedDiff(text);
}
