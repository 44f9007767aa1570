/**
 * Routing by complexity: a group goes to the model with the highest minComplexity not above its
 * score, so the seed's 0.7 threshold is simply the strong model's minComplexity. When every model
 * asks for more than the score, the least demanding one takes it (nothing is left unrouted).
 */
import type { ModelConfig } from '../config/types';

export interface Route {
  model: ModelConfig;
  reason: string;
}

export function routeByScore(score: number, models: readonly ModelConfig[]): Route {
  if (models.length === 0) throw new TypeError('Expected at least one model to route to, got none');
  let best: ModelConfig | undefined;
  for (const m of models) {
    const min = m.minComplexity ?? 0;
    if (min <= score && (!best || min > (best.minComplexity ?? 0))) best = m;
  }
  const s = score.toFixed(2);
  if (best) return { model: best, reason: `score ${s} ≥ minComplexity ${best.minComplexity ?? 0} of ${best.id}` };
  const lowest = models.reduce((a, b) => ((b.minComplexity ?? 0) < (a.minComplexity ?? 0) ? b : a));
  return { model: lowest, reason: `score ${s} below every minComplexity; least demanding model ${lowest.id}` };
}
