/**
 * Authentication as Bedrock does it: an `Authorization` header signed with SigV4 for service
 * `bedrock`, or a Bedrock API key sent as `Authorization: Bearer …` (what the AWS SDK sends when
 * AWS_BEARER_TOKEN_BEDROCK is set: its httpBearerAuth scheme, no SigV4 headers). When the config
 * names a key pair we re-sign the received request with it and compare signatures; when it names
 * API keys, a bearer key must be one of them. Without either, any well-formed header passes (and no
 * header at all, so curl works against the emulator).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { ServiceError } from './errors';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ParsedSigV4 {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export function parseSigV4(header: string): ParsedSigV4 | undefined {
  const m = SIGV4.exec(header.trim());
  if (!m) return undefined;
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]!, signedHeaders: m[5]!.split(';'), signature: m[6]! };
}

/** `20240102T030405Z` → Date. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export interface SignedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * What Bedrock answers a bearer key it does not accept: 403 AccessDeniedException with this message
 * (as users report it, e.g. anomalyco/opencode#47073, earendil-works/pi#6531).
 */
export const API_KEY_REFUSED = 'Authentication failed: Please make sure your API Key is valid.';

/** Compares through fixed-length digests, so the time taken says nothing about a near miss. */
function sameKey(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function checkBearer(header: string, apiKeys: readonly string[] | undefined): void {
  const key = /^Bearer (\S+)$/.exec(header)?.[1];
  if (key === undefined) throw new ServiceError('AccessDeniedException', API_KEY_REFUSED);
  if (apiKeys && !apiKeys.some((k) => sameKey(k, key))) throw new ServiceError('AccessDeniedException', API_KEY_REFUSED);
}

/** Resolves when the request may proceed; throws the ServiceError AWS would answer with. */
/** `service`: the SigV4 signing name the route expects (`bedrock`; `servicequotas` for Service Quotas, which takes no API keys). */
export async function authenticate(request: SignedRequest, credentials: Credentials | undefined, apiKeys?: readonly string[], service = 'bedrock'): Promise<void> {
  const header = headerValue(request.headers, 'authorization');
  if (header === undefined) {
    if (credentials || apiKeys) throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    return;
  }
  if (/^Bearer(?: |$)/.test(header)) {
    if (service !== 'bedrock') throw new ServiceError('AccessDeniedException', `Bedrock API keys do not authorize ${service} calls.`);
    return checkBearer(header, apiKeys);
  }
  const parsed = parseSigV4(header);
  if (!parsed) throw new ServiceError('IncompleteSignatureException', `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`);
  if (parsed.service !== service) {
    throw new ServiceError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`);
  }
  if (!credentials) return;
  if (parsed.accessKeyId !== credentials.accessKeyId) {
    throw new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const date = parseAmzDate(headerValue(request.headers, 'x-amz-date') ?? '');
  if (!date) throw new ServiceError('IncompleteSignatureException', 'Missing or malformed X-Amz-Date header.');
  // The signature covers the body through this header when present (the SDK sends it), so the
  // header must match the body we actually received.
  const contentHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (contentHash !== undefined && contentHash !== 'UNSIGNED-PAYLOAD' && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
    throw new ServiceError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const expected = await resign(request, parsed, credentials, date);
  if (expected !== parsed.signature) {
    throw new ServiceError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
}

async function resign(request: SignedRequest, parsed: ParsedSigV4, credentials: Credentials, date: Date): Promise<string | undefined> {
  const url = new URL(request.url, 'http://emulator.invalid');
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    // HTTP/2 carries the host as the `:authority` pseudo-header.
    const value = headerValue(request.headers, name) ?? (name === 'host' ? headerValue(request.headers, ':authority') : undefined);
    if (value !== undefined) headers[name] = value;
  }
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => (query[key] = value));
  // applyChecksum off: only the headers the client signed may take part (it adds none of its own).
  const signer = new SignatureV4({ credentials, region: parsed.region, service: parsed.service, sha256: Sha256, uriEscapePath: true, applyChecksum: false });
  const signed = await signer.sign(
    // The path exactly as received: SigV4 escapes it again, as the client did when signing.
    { method: request.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query, headers, body: request.body },
    { signingDate: date, signingRegion: parsed.region, signingService: parsed.service, signableHeaders: new Set(parsed.signedHeaders) },
  );
  const auth = signed.headers.authorization ?? signed.headers.Authorization;
  return auth ? parseSigV4(auth)?.signature : undefined;
}
