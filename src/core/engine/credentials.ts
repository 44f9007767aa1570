/**
 * Credentials preflight: resolve the SDK's default chain once before a run, so a machine without
 * credentials gets one clear, actionable error instead of every batch failing the same way.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

export class CredentialsError extends Error {
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
    '  • an instance or container role (EC2, ECS, Lambda, CodeBuild)',
  ];
  return lines.join('\n');
}

export async function checkCredentials(region: string, profile: string | undefined): Promise<void> {
  const client = new BedrockRuntimeClient({ region, ...(profile ? { profile } : {}) });
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
