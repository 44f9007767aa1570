/**
 * Re-renders table.md and throughput.svg from a results JSON without rerunning the benchmark
 * (after a change to the report's layout): `npx tsx bench/render.ts [bench/results]`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeResults } from './main';
import type { BenchResults } from './results';

const dir = process.argv[2] ?? join(__dirname, 'results');
const results = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as BenchResults;
process.stdout.write(`Rewrote ${writeResults(results, dir).join(', ')}\n`);
