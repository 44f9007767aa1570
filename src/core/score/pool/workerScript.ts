/** Where the worker entry is: dist/scoreWorker.js beside the bundle, or worker.ts when running from source. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultWorkerScript(): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'scoreWorker.js');
  if (existsSync(bundled)) return bundled;
  // From source this file is src/core/score/pool/workerScript.ts.
  const source = join(here, '..', 'worker.ts');
  if (existsSync(source)) return source;
  throw new Error(`score worker not found: looked for ${bundled} and ${source}`);
}
