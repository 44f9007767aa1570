/**
 * Jittered exponential backoff ("equal jitter"): half the step is fixed so a retry never comes
 * immediately, half is random so that calls failing together do not retry together.
 */
export function backoffMs(attempt: number, random: () => number, baseMs = 1_000, capMs = 20_000): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return step / 2 + random() * (step / 2);
}
