/** A job the service refused reserves more input on its retries (Router.needOf, RETRY_INPUT_SPREAD). */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { ModelMetrics } from '../../../src/core/metrics/collector';
import { estimateRequestTokens } from '../../../src/core/plan/estimate';
import type { BatchFile } from '../../../src/core/plan/types';
import { newJob } from '../../../src/core/schedule/job';
import { ModelQueue } from '../../../src/core/schedule/modelQueue';
import { RETRY_INPUT_SPREAD, Router } from '../../../src/core/schedule/router';
import { seeded } from './fakes';

const M: ModelConfig = { id: 'm', tokensPerMinute: 9_000, maxKbPerBatch: 100, maxOutputTokens: 400 };
const text = Array.from({ length: 120 }, (_, i) => `const v${i} = ${'x'.repeat(26)}; // ${i}`).join('\n') + '\n';
const file: BatchFile = { path: 'a/f1.ts', text, bytes: Buffer.byteLength(text, 'utf8'), hash: 'a-f1' };
const b = { id: 'a', files: [file], preferredModel: 'm', lane: 'background' as const, estInputTokens: estimateRequestTokens([file]), score: 0.5, reason: 'test' };
describe('a refused job reserves more on its retries', () => {
  it('adds RETRY_INPUT_SPREAD to its input: the same call into the same packed window was refused again', () => {
    const clock = new VirtualClock();
    const queue = new ModelQueue(M, { clock, random: seeded(1) });
    const router = new Router(new Map([[M.id, queue]]), new Map([[M.id, new ModelMetrics(M)]]), 2, 1);
    const job = newJob(b, undefined, 0, { split: true }, 'system', undefined, () => {});
    const first = router.needOf(job, queue);
    const input = router.inputOf(job, queue);
    job.throttles = 1;
    assert.equal(router.needOf(job, queue), first - input + Math.ceil(input * RETRY_INPUT_SPREAD));
    assert.equal(router.inputOf(job, queue), input, 'the estimate itself (what usage is checked against) does not change');
  });
});
