/**
 * Credentials preflight: resolve the SDK's default chain once before a run, so a machine without
 * credentials gets one clear, actionable error instead of every batch failing the same way.
 *
 * A Bedrock API key counts as credentials: when AWS_BEARER_TOKEN_BEDROCK is in the environment the
 * installed @aws-sdk/client-bedrock-runtime prefers its httpBearerAuth scheme (the auth scheme
 * preference reads `AWS_BEARER_TOKEN_<signing name>`) and sends the key as `Authorization: Bearer`,
 * so no SigV4 access key is needed. Whether the key is valid only the service can say; the first
 * call that it refuses ends the run with a credentials error (providers/bedrock.ts).
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { OutcomeCode } from '../outcome';

/** The variable the SDK reads a Bedrock API key from (`AWS_BEARER_TOKEN_` + signing name `bedrock`). */
export const BEDROCK_API_KEY_ENV = 'AWS_BEARER_TOKEN_BEDROCK';

export class CredentialsError extends Error {
  /** As data, like a failed file's code (src/core/outcome.ts): hosts switch on it. */
  readonly code: OutcomeCode = 'credentials-missing';

  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

/** How to fix missing or expired credentials, for a profile or for the default chain. */
export function credentialsHelp(profile: string | undefined): string {
  const lines = [
    'No usable AWS credentials were found. Chorus uses the AWS SDK default credential chain; any of these works:',
    profile
      ? `  • profile "${profile}": check it in ~/.aws/config or ~/.aws/credentials; for SSO run \`aws sso login --profile ${profile}\``
      : '  • a profile: pass --profile NAME (or set AWS_PROFILE); for SSO run `aws sso login --profile NAME`',
    '  • environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)',
    `  • a Bedrock API key: ${BEDROCK_API_KEY_ENV} (create one in the Bedrock console under API keys)`,
    '  • an instance or container role (EC2, ECS, Lambda, CodeBuild)',
  ];
  return lines.join('\n');
}

/**
 * Whether the environment holds a Bedrock API key, and if one is there but cannot be sent, why.
 * The key itself never appears in a message: only its absence or its shape.
 */
export type ApiKeyState = { kind: 'absent' } | { kind: 'usable' } | { kind: 'unusable'; reason: string };

export function bedrockApiKeyState(env: NodeJS.ProcessEnv = process.env): ApiKeyState {
  if (!(BEDROCK_API_KEY_ENV in env)) return { kind: 'absent' };
  const key = env[BEDROCK_API_KEY_ENV] ?? '';
  // The SDK prefers bearer auth as soon as the variable exists, even empty: it would send "Bearer ".
  if (key.trim() === '') return { kind: 'unusable', reason: `${BEDROCK_API_KEY_ENV} is set but empty: set it to your Bedrock API key, or unset it to use the default credential chain` };
  if (/[\s"']/.test(key)) return { kind: 'unusable', reason: `${BEDROCK_API_KEY_ENV} contains spaces or quotes: set it to the key alone (export ${BEDROCK_API_KEY_ENV}=ABSK…, no quotes inside the value)` };
  return { kind: 'usable' };
}

export async function checkCredentials(region: string, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const apiKey = bedrockApiKeyState(env);
  if (apiKey.kind === 'usable') return;
  if (apiKey.kind === 'unusable') throw new CredentialsError(apiKey.reason);
  // ignoreCache: re-read ~/.aws files (the SDK caches them per process, failures included), so
  // credentials created after a failed check are found by the next one (see providers/bedrock.ts).
  const client = new BedrockRuntimeClient({ region, ...(profile ? { profile } : {}), ...({ ignoreCache: true } as object) });
  try {
    const credentials = await client.config.credentials();
    if (!credentials.accessKeyId) throw new Error('empty access key id');
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new CredentialsError(`${credentialsHelp(profile)}\n(${detail})`);
  } finally {
    client.destroy();
  }
}
