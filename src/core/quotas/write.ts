/**
 * Putting the account's tokens-per-minute into a config's `models` array (a chorus.config.json or
 * the `chorus.models` setting): each configured model's entry gets the account's value, entries
 * for other models and every other field stay as they were, a model the array lacks is added with
 * just its id and quota (a known id fills in the rest). Pure: callers read and write the file.
 */
import type { AccountModelQuota } from './account';

type Entry = Record<string, unknown>;

export interface WrittenModels {
  models: Entry[];
  /** Model ids whose `tokensPerMinute` changed (or was added). */
  changed: string[];
}

function isEntry(v: unknown): v is Entry {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function writeAccountQuotas(existing: unknown, quotas: readonly AccountModelQuota[]): WrittenModels {
  if (existing !== undefined && !Array.isArray(existing)) throw new TypeError('models: expected an array of models');
  const models: Entry[] = ((existing as unknown[] | undefined) ?? []).map((m, i) => {
    if (!isEntry(m)) throw new TypeError(`models[${i}]: expected an object with "id"`);
    return { ...m };
  });
  const changed: string[] = [];
  for (const q of quotas) {
    const value = q.tokensPerMinute?.value;
    // A quota of 0 would stop the model from ever being called: not written, reported instead.
    if (value === undefined || value <= 0) continue;
    const entry = models.find((m) => m.id === q.modelId);
    if (entry) {
      if (entry.tokensPerMinute === value) continue;
      entry.tokensPerMinute = value;
    } else {
      models.push({ id: q.modelId, tokensPerMinute: value });
    }
    changed.push(q.modelId);
  }
  return { models, changed };
}
