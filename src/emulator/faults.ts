/**
 * Fault injection, seeded so that a run with faults repeats: each request rolls the dice once per
 * fault that applies to its model and time, in config order; the first fault that hits wins.
 */
import { ERROR_FAULT_KINDS, STOP_REASON_FAULT_KINDS, type EmulatorFault, type FaultKind } from './config';
import type { ServiceErrorName } from './errors';

import { seededRandom } from '../core/random';

export class FaultPlan {
  private readonly random: () => number;

  constructor(
    private faults: EmulatorFault[],
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  set(faults: EmulatorFault[]): void {
    this.faults = faults;
  }

  list(): EmulatorFault[] {
    return this.faults;
  }

  /** The fault for a request to `model` at `seconds` since start, if any hits. */
  pick(model: string, seconds: number): FaultKind | undefined {
    for (const fault of this.faults) {
      if (fault.model !== undefined && fault.model !== model) continue;
      if (fault.from !== undefined && seconds < fault.from) continue;
      if (fault.until !== undefined && seconds >= fault.until) continue;
      const rate = fault.rate ?? 1;
      if (rate >= 1 || this.random() < rate) return fault.kind;
    }
    return undefined;
  }
}

// Each error fault answers with the service error of its own name.
const ERROR_FAULTS = new Set<string>(ERROR_FAULT_KINDS satisfies readonly ServiceErrorName[]);

/** Faults that answer with a service error (of the same name) instead of a model answer. */
export function isErrorFault(kind: FaultKind): kind is FaultKind & ServiceErrorName {
  return ERROR_FAULTS.has(kind);
}

export type StopReasonFault = (typeof STOP_REASON_FAULT_KINDS)[number];

/** The Converse stop reason each stop-reason fault answers with (the values of the API's StopReason). */
export const STOP_REASON_OF: Record<StopReasonFault, string> = {
  'context-window': 'model_context_window_exceeded',
  'context-window-multi-file': 'model_context_window_exceeded',
  'malformed-tool-use': 'malformed_tool_use',
  'malformed-model-output': 'malformed_model_output',
  'content-filtered': 'content_filtered',
  'guardrail-intervened': 'guardrail_intervened',
};

const STOP_REASON_FAULTS = new Set<string>(STOP_REASON_FAULT_KINDS);

/**
 * The stop reason a fault makes this request end with, if any. `context-window-multi-file` models a
 * window that holds one file of the batch: a request of one file is answered normally.
 */
export function stopReasonFault(kind: FaultKind | undefined, files: number): string | undefined {
  if (kind === undefined || !STOP_REASON_FAULTS.has(kind)) return undefined;
  if (kind === 'context-window-multi-file' && files <= 1) return undefined;
  return STOP_REASON_OF[kind as StopReasonFault];
}
