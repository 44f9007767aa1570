/**
 * Groups and complexity scores for the burst: the real scorer (src/core/score's createScorer: parsers,
 * metrics, import graph) when it is there, else the engine's interim directory/size scorer. Which one
 * ran is reported in the results, since routing (and so the original strategy's batches) follows it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterimScorer, type EngineScorer } from '../../src/core/engine/interimScorer';
import type { Group, SourceFile } from '../../src/core/types';

export interface Scored {
  groups: Group[];
  scorer: 'real' | 'interim';
  note?: string;
}

async function realScorer(): Promise<EngineScorer | string> {
  const entry = join(__dirname, '../../src/core/score/index.ts');
  if (!existsSync(entry)) return 'src/core/score has no index.ts (createScorer) yet';
  try {
    // A computed specifier: the scorer may not exist in every checkout, and the bench must still run.
    const mod = (await import(entry)) as { createScorer?: () => EngineScorer };
    return typeof mod.createScorer === 'function' ? mod.createScorer() : 'src/core/score does not export createScorer';
  } catch (err) {
    return `the real scorer failed to load: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export async function scoreCodebase(files: ReadonlyMap<string, SourceFile>, prefer: 'real' | 'interim' = 'real'): Promise<Scored> {
  const input = [...files.values()].map((f) => ({ path: f.path, text: f.text, bytes: f.bytes }));
  const real = prefer === 'real' ? await realScorer() : 'interim scorer requested';
  if (typeof real !== 'string') {
    try {
      return { groups: (await real.score(input)).groups, scorer: 'real' };
    } catch (err) {
      return { ...(await interim(input)), note: `the real scorer failed: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      real.dispose();
    }
  }
  return { ...(await interim(input)), note: real };
}

async function interim(input: { path: string; text: string; bytes: number }[]): Promise<Scored> {
  const scorer = createInterimScorer();
  try {
    return { groups: (await scorer.score(input)).groups, scorer: 'interim' };
  } finally {
    scorer.dispose();
  }
}
