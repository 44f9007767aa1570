/**
 * Where code is sent. These fields decide which server receives the analyzed code and which
 * credentials sign it, so only the user may set them — flags, the environment, machine-level VS Code
 * settings, or a configuration file outside the analyzed tree. A file inside the tree (a pull
 * request can change it) never does: a committed `"endpoint": "http://attacker"` would otherwise
 * receive the repository and the CI's session token.
 *
 * The destination is also an identity: cached answers (and, later, quota ledgers) are scoped by it,
 * so an answer from one server is never served for another.
 */
import { createHash } from 'node:crypto';
import type { ChorusConfig } from './types';

export const DESTINATION_FIELDS = ['endpoint', 'region', 'profile'] as const;
export type DestinationField = (typeof DESTINATION_FIELDS)[number];

export interface Destination {
  region: string;
  endpoint?: string;
  /** The AWS profile that signs; undefined = the SDK's default chain. */
  profile?: string;
}

export function destinationOf(config: Pick<ChorusConfig, DestinationField>): Destination {
  return {
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.profile ? { profile: config.profile } : {}),
  };
}

/** `HTTP://Host:80/` and `http://host` are one server; anything unparsable is kept as written. */
function normalizeEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return endpoint;
  }
}

/**
 * A stable, opaque identity of a destination: the server (endpoint, or Bedrock's regional one) and
 * the account's credentials (the profile; with the default chain, `AWS_PROFILE` if set). Hashed, so
 * it can name files and keys without spelling out a profile.
 */
export function destinationKey(destination: Destination, env: NodeJS.ProcessEnv = process.env): string {
  const server = destination.endpoint ? normalizeEndpoint(destination.endpoint) : `bedrock-runtime.${destination.region}`;
  const account = destination.profile ?? env.AWS_PROFILE ?? '(default chain)';
  return createHash('sha256').update(`${server}\0${destination.region}\0${account}`).digest('hex').slice(0, 32);
}

/** The destination fields a configuration object sets, removed from a copy of it. */
export function withoutDestination(json: Record<string, unknown>): { json: Record<string, unknown>; ignored: DestinationField[] } {
  const copy = { ...json };
  const ignored = DESTINATION_FIELDS.filter((key) => copy[key] !== undefined);
  for (const key of ignored) delete copy[key];
  return { json: copy, ignored };
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** A warning when code and signed requests would cross a network unencrypted; undefined when fine. */
export function insecureEndpointWarning(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || LOOPBACK.test(url.hostname)) return undefined;
  return `endpoint ${url.host} uses plain http: your code and signed requests travel unencrypted`;
}
