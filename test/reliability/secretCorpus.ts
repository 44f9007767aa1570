/**
 * The secrets corpus: one generator per kind, each producing a fresh credential of the right shape
 * (prefix, alphabet, length) from random bytes and the line(s) of a file that would hold it. Nothing
 * credential-shaped is committed; every run plants new values.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '_-';

export const pick = (alphabet: string, n: number): string => Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface PlantedSecret {
  kind: string;
  /** Where it is planted, relative to the workspace root. */
  file: string;
  /** Lines of that file holding it (joined with \n into the file, in corpus order). */
  lines: string[];
  /** Substrings that must never reach the model (the secret, or each distinctive part of it). */
  values: string[];
  /** Files that are never sent at all (skipped with a reason) rather than redacted. */
  neverSent?: boolean;
}

function pem(type: 'rsa' | 'ec'): string {
  const { privateKey } = type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    : generateKeyPairSync('ec', { namedCurve: 'prime256v1', privateKeyEncoding: { type: 'sec1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  return privateKey.trim();
}

function openSshKey(): string {
  // The OpenSSH container's base64 body, wrapped at 70 columns like ssh-keygen writes it.
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), randomBytes(300)]).toString('base64');
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...(body.match(/.{1,70}/g) ?? []), '-----END OPENSSH PRIVATE KEY-----'].join('\n');
}

/** The body lines of a PEM block: what must not leave (headers are harmless). */
const pemBody = (block: string) => block.split('\n').filter((l) => !l.startsWith('-----'));

/** Builds the corpus: ≥ 25 kinds, most in source files, a few in the files they live in by nature. */
export function generateSecretCorpus(): PlantedSecret[] {
  const src = 'src/settings.ts';
  const one = (kind: string, value: string, line: string, file = src): PlantedSecret => ({ kind, file, lines: [line], values: [value] });

  const awsSecret = pick(B64, 40);
  const rsa = pem('rsa');
  const ec = pem('ec');
  const ssh = openSshKey();
  const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: pick(DIGITS, 10), name: pick(ALNUM, 8), iat: 1_700_000_000 })}.${pick(URLSAFE, 43)}`;
  const urlPassword = pick(ALNUM, 20);
  const gcpKey = pem('rsa');
  const gcpKeyId = pick(HEX, 40);
  const gcpKeyEscaped = gcpKey.replace(/\n/g, '\\n');
  const azureKey = randomBytes(64).toString('base64');
  const basic = Buffer.from(`deploy:${pick(ALNUM, 18)}`).toString('base64');
  const dockerAuth = Buffer.from(`ci-bot:${pick(ALNUM, 22)}`).toString('base64');
  const envValue = pick(ALNUM, 32);

  // Token kinds sit behind neutral names, so the detector for the token's own shape must catch them
  // (a name like `token = …` would be caught by the generic assignment rule and prove nothing).
  const token = (kind: string, value: string, line: (v: string) => string): PlantedSecret => one(kind, value, line(value));
  const npmrcToken = 'npm_' + pick(ALNUM, 36);

  return [
    token('aws-access-key-id', 'AKIA' + pick(UPPER32, 16), (v) => `const awsId = "${v}";`),
    one('aws-secret-access-key', awsSecret, `const aws_secret_access_key = "${awsSecret}";`),
    token('github-classic-token', 'ghp_' + pick(ALNUM, 36), (v) => `const ghClassic = "${v}";`),
    token('github-fine-grained-token', `github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`, (v) => `const ghFine = "${v}";`),
    token('github-oauth-token', 'gho_' + pick(ALNUM, 36), (v) => `const ghApp = "${v}";`),
    token('gitlab-pat', 'glpat-' + pick(URLSAFE, 20), (v) => `const gitlab = "${v}";`),
    token('slack-bot-token', `xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(ALNUM, 24)}`, (v) => `const slackBot = "${v}";`),
    token('slack-user-token', `xoxp-${pick(DIGITS, 12)}-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(HEX, 32)}`, (v) => `const slackUser = "${v}";`),
    token('slack-webhook', `https://hooks.slack.com/services/T${pick(UPPER32, 10)}/B${pick(UPPER32, 10)}/${pick(ALNUM, 24)}`, (v) => `const hook = "${v}";`),
    token('stripe-live-secret', 'sk_live_' + pick(ALNUM, 99), (v) => `const stripe = "${v}";`),
    token('stripe-live-restricted', 'rk_live_' + pick(ALNUM, 99), (v) => `const stripeRestricted = "${v}";`),
    { kind: 'pem-rsa-private-key', file: src, lines: ['const rsaKey = `' + rsa + '`;'], values: pemBody(rsa) },
    { kind: 'pem-ec-private-key', file: src, lines: ['const ecKey = `' + ec + '`;'], values: pemBody(ec) },
    { kind: 'openssh-private-key', file: src, lines: ['const sshKey = `' + ssh + '`;'], values: pemBody(ssh) },
    one('jwt', jwt, `const session = "${jwt}";`),
    one('password-in-url', urlPassword, `const dbUrl = "postgres://app:${urlPassword}@db.internal:5432/main";`),
    token('sendgrid-api-key', `SG.${pick(URLSAFE, 22)}.${pick(URLSAFE, 43)}`, (v) => `const mail = "${v}";`),
    token('twilio-auth-token', pick(HEX, 32), (v) => `const twilioAuthToken = "${v}";`),
    token('openai-api-key', `sk-proj-${pick(URLSAFE, 74)}T3BlbkFJ${pick(URLSAFE, 74)}`, (v) => `const openai = "${v}";`),
    token('anthropic-api-key', `sk-ant-api03-${pick(URLSAFE, 93)}AA`, (v) => `const anthropic = "${v}";`),
    token('npm-token', 'npm_' + pick(ALNUM, 36), (v) => `const publishWith = "${v}";`),
    one('basic-auth-header', basic, `headers.set("Authorization", "Basic ${basic}");`),
    token('google-api-key', 'AIza' + pick(URLSAFE, 35), (v) => `const maps = "${v}";`),
    token('generic-password', pick(ALNUM, 16) + '!' + pick(DIGITS, 3), (v) => `const password = "${v}";`),
    token('bearer-token', pick(URLSAFE, 40), (v) => `fetch(url, { headers: { Authorization: "Bearer ${v}" } });`),
    one('azure-storage-connection-string', azureKey, `const storage = "DefaultEndpointsProtocol=https;AccountName=chorus${pick(DIGITS, 6)};AccountKey=${azureKey};EndpointSuffix=core.windows.net";`),
    {
      kind: 'gcp-service-account-json',
      file: 'deploy/service-account.json',
      lines: [
        '{',
        '  "type": "service_account",',
        `  "project_id": "demo-${pick(DIGITS, 6)}",`,
        `  "private_key_id": "${gcpKeyId}",`,
        `  "private_key": "${gcpKeyEscaped}",`,
        '  "client_email": "ci@demo.iam.gserviceaccount.com"',
        '}',
      ],
      // The key body travels as one JSON string: any 40-character piece of it is distinctive.
      values: [gcpKeyId, ...pemBody(gcpKey).map((l) => l.slice(0, 40))],
    },
    { kind: 'docker-config-auths', file: 'deploy/docker-config.json', lines: [`{ "auths": { "registry.example.com": { "auth": "${dockerAuth}" } } }`], values: [dockerAuth] },
    { kind: 'npmrc-auth-token', file: '.npmrc', lines: ['registry=https://registry.npmjs.org/', `//registry.npmjs.org/:_authToken=${npmrcToken}`], values: [npmrcToken] },
    { kind: 'dotenv', file: '.env', lines: [`DATABASE_PASSWORD=${envValue}`], values: [envValue], neverSent: true },
  ];
}
