/**
 * A real redis-server (Debian's package, installed by `npm run test:setup`) for the ledger tests:
 * on a free loopback port, no persistence, its own temp folder, a password generated per run; started
 * and stopped by the test itself — and stoppable mid-run to test losing it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  port: number;
  /** `redis://default:<password>@127.0.0.1:<port>` */
  url: string;
  password: string;
  /** Stops the server (SIGTERM) and waits for it to exit; its data is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

/** Fails (never skips) when the binary is missing: a suite that silently tests nothing passes CI. */
export function requireRedisServer(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not installed, and the shared-quota tests need a real one: run `npm run test:setup` ' +
        '(scripts/vscode-host/install.sh installs Debian\'s redis-server) or `apt-get install redis-server`',
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `tls`: TLS only (rediss://), with a self-signed certificate for 127.0.0.1 made by openssl in the
 * server's folder (`caFile`: trust it through NODE_EXTRA_CA_CERTS).
 */
export async function startRedis(options: { tls?: boolean } = {}): Promise<TestRedis & { caFile?: string }> {
  requireRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chorus-redis-'));
  const password = randomBytes(12).toString('hex');
  const caFile = join(dir, 'tls.crt');
  if (options.tls) {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'tls.key'), '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr || String(made.error)}`);
  }
  const listen = options.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', caFile, '--tls-key-file', join(dir, 'tls.key'), '--tls-ca-cert-file', caFile, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  let child: ChildProcess | undefined;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', password];
      const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}: ${out}`)), 10_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${String(code)}): ${out}`));
      });
    });

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };

  await start();
  return {
    port,
    password,
    url: `${options.tls ? 'rediss' : 'redis'}://default:${password}@127.0.0.1:${port}`,
    ...(options.tls ? { caFile } : {}),
    stop,
    start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
