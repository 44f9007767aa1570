/**
 * dist/emulator.js: the emulator on its own, without the rest of the CLI.
 *   node dist/emulator.js [--port N] [--host H] [--config FILE] [--time-scale X]
 */
import { parseArgs } from 'node:util';
import { parseNumberOption, serve } from './serve';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      config: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
    },
  });
  await serve({
    port: parseNumberOption('--port', values.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    host: values.host,
    config: values.config,
    timeScale: parseNumberOption('--time-scale', values['time-scale'], (n) => n > 0),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
