// TODO: bound the size of this cache
const entries = new Map<string, { value: unknown; at: number }>();

export function get(key: string, maxAgeMs: number): unknown {
  const hit = entries.get(key);
  if (!hit || Date.now() - hit.at > maxAgeMs) return undefined;
  return hit.value;
}

export function set(key: string, value: unknown): void {
  entries.set(key, { value, at: Date.now() });
}
