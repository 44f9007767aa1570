/**
 * The shared quota ledger's address: `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS,
 * e.g. ElastiCache with in-transit encryption). The password is a secret: nothing here ever puts the
 * URL as written into a message — errors and logs name the server as `redis://host:port` only.
 */
import { isIP } from 'node:net';
import type { RedisOptions } from 'ioredis';

export class SharedQuotaUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SharedQuotaUrlError';
  }
}

export interface SharedQuotaTarget {
  /** The server without credentials or database, for messages. */
  display: string;
  /** Connection options for ioredis (credentials included: never log these). */
  options: Pick<RedisOptions, 'host' | 'port' | 'username' | 'password' | 'db' | 'tls'>;
  /** Secrets to blank out of any error text that might echo them. */
  secrets: string[];
}

/** Parses a shared-quota URL; throws SharedQuotaUrlError (which never quotes the URL) when unusable. */
export function parseSharedQuotaUrl(raw: string): SharedQuotaTarget {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new SharedQuotaUrlError('the shared quota URL is not a URL: expected redis://[user:password@]host[:port] or rediss://…');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new SharedQuotaUrlError(`the shared quota URL must start with redis:// or rediss://, not ${url.protocol.replace(/[^a-z0-9+.-:]/gi, '')}//`);
  }
  if (!url.hostname) throw new SharedQuotaUrlError('the shared quota URL names no host: expected redis://host[:port]');
  const port = url.port ? Number(url.port) : 6379;
  const dbText = url.pathname.replace(/^\/+|\/+$/g, '');
  if (dbText !== '' && !/^\d{1,2}$/.test(dbText)) throw new SharedQuotaUrlError('the shared quota URL\'s path must be a database number (redis://host:6379/0)');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    display: `${url.protocol}//${url.host}`,
    options: {
      host,
      port,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(dbText ? { db: Number(dbText) } : {}),
      // TLS checks the certificate against the host (SNI only for a name: RFC 6066 has none for IPs).
      ...(url.protocol === 'rediss:' ? { tls: isIP(host) ? {} : { servername: host } } : {}),
    },
    secrets: [password, url.password, username && password ? `${url.username}:${url.password}` : ''].filter((s) => s.length >= 3),
  };
}

/** `text` with every secret of the target blanked out. */
export function redact(text: string, target: Pick<SharedQuotaTarget, 'secrets'>): string {
  let out = text;
  for (const secret of target.secrets) out = out.split(secret).join('***');
  return out;
}
