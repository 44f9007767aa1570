/**
 * `chorus emulator --port N --config FILE [--time-scale X]`: a Bedrock Runtime emulator for tests,
 * the benchmark and the offline demo. The first line printed is `listening on http://127.0.0.1:PORT`.
 */
import { Command } from 'commander';
import { parseNumberOption, serve } from '../../emulator/serve';

export function emulatorCommand(): Command {
  return new Command('emulator')
    .description('Serve an emulated Amazon Bedrock Runtime (Converse, ConverseStream) with quotas and faults.')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--config <file>', 'emulator config JSON (models, faults, credentials, seed); default: the seed quotas')
    .option('--time-scale <x>', 'emulated ms per real ms (60 = one emulated minute per second)', '1')
    .action(async (opts: { port: string; host: string; config?: string; timeScale: string }) => {
      await serve({
        port: parseNumberOption('--port', opts.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
        host: opts.host,
        config: opts.config,
        timeScale: parseNumberOption('--time-scale', opts.timeScale, (n) => n > 0),
      });
    });
}
