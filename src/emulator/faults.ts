/**
 * Fault injection, seeded so that a run with faults repeats: each request rolls the dice once per
 * fault that applies to its model and time, in config order; the first fault that hits wins.
 */
import { ERROR_FAULT_KINDS, type EmulatorFault, type FaultKind } from './config';
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
