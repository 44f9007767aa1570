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
const WORDS = ['maple', 'river', 'candle', 'orbit', 'velvet', 'harbor', 'copper', 'meadow', 'falcon', 'pepper', 'summit', 'willow'];
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

/** An OpenSSH/PGP-style armoured block around random base64, wrapped at 64 columns. */
function armoured(label: string, bytes: number): string {
  const body = randomBytes(bytes).toString('base64').match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, '', ...body, `-----END ${label}-----`].join('\n');
}

/** A PuTTY v3 key as puttygen writes it; private lines and MAC are what must not leave. */
function puttyKey(): { text: string; secrets: string[] } {
  const priv = randomBytes(48).toString('base64');
  const mac = pick(HEX, 64);
  const text = ['PuTTY-User-Key-File-3: ssh-ed25519', 'Encryption: none', 'Comment: deploy@ci', 'Public-Lines: 2',
    'AAAAC3NzaC1lZDI1NTE5AAAAI' + pick(B64, 43), pick(B64, 20), 'Private-Lines: 1', priv, `Private-MAC: ${mac}`].join('\n');
  return { text, secrets: [priv, mac] };
}

function kubeconfig(user: string[]): string[] {
  return ['apiVersion: v1', 'kind: Config', 'clusters:', '- cluster:', '    server: https://k8s.internal:6443', '  name: prod',
    'contexts:', '- context: { cluster: prod, user: admin }', '  name: prod', 'current-context: prod', 'users:', '- name: admin', '  user:', ...user];
}

/** Builds the corpus: ≥ 60 kinds and shapes, in source files, configuration, and credential files. */
export function generateSecretCorpus(): PlantedSecret[] {
  return [...sourceTokens(), ...configShapes(), ...credentialFiles()];
}

/** Token formats in a TypeScript file, behind neutral names (so the token's own shape must be caught). */
function sourceTokens(): PlantedSecret[] {
  const src = 'src/settings.ts';
  const one = (kind: string, value: string, line: string, file = src): PlantedSecret => ({ kind, file, lines: [line], values: [value] });
  const token = (kind: string, value: string, line: (v: string) => string = (v) => `const neutral${kind.replace(/\W/g, '')} = "${v}";`): PlantedSecret => one(kind, value, line(value));

  const awsSecret = pick(B64, 40);
  const rsa = pem('rsa');
  const ec = pem('ec');
  const ssh = openSshKey();
  const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: pick(DIGITS, 10), name: pick(ALNUM, 8), iat: 1_700_000_000 })}.${pick(URLSAFE, 43)}`;
  const urlPassword = pick(ALNUM, 20);
  const azureKey = randomBytes(64).toString('base64');
  const basic = Buffer.from(`deploy:${pick(ALNUM, 18)}`).toString('base64');
  const ghDisabled = 'ghp_' + pick(ALNUM, 36);
  const awsDisabled = 'AKIA' + pick(UPPER32, 16);
  const djangoKey = 'django-insecure-' + pick(ALNUM + '!@#%^&*(-_=+)', 50);

  return [
    // Comments in the file never switch redaction off (the leaked GitHub token).
    { kind: 'github-token-after-disable-next-line', file: src, lines: ['// secretlint-disable-next-line', `const ghDisabled = "${ghDisabled}";`], values: [ghDisabled] },
    { kind: 'aws-key-inside-disable-block', file: src, lines: ['/* secretlint-disable */', `const awsDisabled = "${awsDisabled}";`], values: [awsDisabled] },
    token('aws-access-key-id', 'AKIA' + pick(UPPER32, 16)),
    one('aws-secret-access-key', awsSecret, `const aws_secret_access_key = "${awsSecret}";`),
    token('github-classic-token', 'ghp_' + pick(ALNUM, 36)),
    token('github-fine-grained-token', `github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`),
    token('github-oauth-token', 'gho_' + pick(ALNUM, 36)),
    token('gitlab-pat', 'glpat-' + pick(URLSAFE, 20)),
    token('slack-bot-token', `xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(ALNUM, 24)}`),
    token('slack-user-token', `xoxp-${pick(DIGITS, 12)}-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(HEX, 32)}`),
    token('slack-webhook', `https://hooks.slack.com/services/T${pick(UPPER32, 10)}/B${pick(UPPER32, 10)}/${pick(ALNUM, 24)}`),
    token('stripe-live-secret', 'sk_live_' + pick(ALNUM, 99)),
    token('stripe-live-restricted', 'rk_live_' + pick(ALNUM, 99)),
    { kind: 'pem-rsa-private-key', file: src, lines: ['const rsaKey = `' + rsa + '`;'], values: pemBody(rsa) },
    { kind: 'pem-ec-private-key', file: src, lines: ['const ecKey = `' + ec + '`;'], values: pemBody(ec) },
    { kind: 'openssh-private-key', file: src, lines: ['const sshKey = `' + ssh + '`;'], values: pemBody(ssh) },
    one('jwt', jwt, `const session = "${jwt}";`),
    one('password-in-url', urlPassword, `const dbUrl = "postgres://app:${urlPassword}@db.internal:5432/main";`),
    token('sendgrid-api-key', `SG.${pick(URLSAFE, 22)}.${pick(URLSAFE, 43)}`),
    token('twilio-auth-token', pick(HEX, 32), (v) => `const twilioAuthToken = "${v}";`),
    token('openai-api-key', `sk-proj-${pick(URLSAFE, 74)}T3BlbkFJ${pick(URLSAFE, 74)}`),
    token('anthropic-api-key', `sk-ant-api03-${pick(URLSAFE, 93)}AA`),
    token('anthropic-admin-key', `sk-ant-admin01-${pick(URLSAFE, 93)}AA`),
    token('npm-token', 'npm_' + pick(ALNUM, 36)),
    one('basic-auth-header', basic, `headers.set("Authorization", "Basic ${basic}");`),
    token('google-api-key', 'AIza' + pick(URLSAFE, 35)),
    token('generic-password', pick(ALNUM, 16) + '!' + pick(DIGITS, 3), (v) => `const password = "${v}";`),
    token('bearer-token', pick(URLSAFE, 40), (v) => `fetch(url, { headers: { Authorization: "Bearer ${v}" } });`),
    one('azure-storage-connection-string', azureKey, `const storage = "DefaultEndpointsProtocol=https;AccountName=chorus${pick(DIGITS, 6)};AccountKey=${azureKey};EndpointSuffix=core.windows.net";`),
    // Provider formats from gitleaks' rule set (the issue's DigitalOcean and PyPI tokens first).
    token('digitalocean-pat', `dop_v1_${pick(HEX, 64)}`),
    token('digitalocean-oauth-token', `doo_v1_${pick(HEX, 64)}`),
    token('pypi-upload-token', `pypi-AgEIcHlwaS5vcmc${pick(URLSAFE, 80)}`),
    token('huggingface-token', `hf_${pick('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 34)}`),
    token('databricks-token', `dapi${pick(HEX, 32)}`),
    token('doppler-token', `dp.pt.${pick(ALNUM, 43)}`),
    token('linear-api-key', `lin_api_${pick(ALNUM, 40)}`),
    token('shopify-access-token', `shpat_${pick(HEX, 32)}`),
    token('twilio-api-key', `SK${pick(HEX, 32)}`),
    token('postman-api-token', `PMAK-${pick(HEX, 24)}-${pick(HEX, 34)}`),
    token('sentry-user-token', `sntryu_${pick(HEX, 64)}`),
    token('pulumi-access-token', `pul-${pick(HEX, 40)}`),
    token('grafana-service-account-token', `glsa_${pick(ALNUM, 32)}_${pick(HEX, 8)}`),
    token('planetscale-password', `pscale_pw_${pick(URLSAFE, 43)}`),
    token('flyio-token', `fo1_${pick(URLSAFE, 43)}`),
    token('heroku-api-key-v2', `HRKU-AA${pick(URLSAFE, 58)}`),
    token('age-secret-key', `AGE-SECRET-KEY-1${pick('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`),
    token('bedrock-api-key', `ABSK${randomBytes(120).toString('base64').replace(/=+$/, '')}`),
    token('azure-ad-client-secret', `${pick(ALNUM, 3)}8Q~${pick(ALNUM, 34)}`),
    token('atlassian-api-token', `ATATT3${pick(URLSAFE, 186)}`),
    token('telegram-bot-token', `${pick(DIGITS, 10)}:A${pick(URLSAFE, 34)}`, (v) => `const telegramBot = "${v}";`),
    one('django-secret-key', djangoKey, `SECRET_KEY = '${djangoKey}'`, 'app/settings.py'),
  ];
}

/** Secret-named keys in configuration, quoted or not (the YAML, .properties, compose, k8s…). */
function configShapes(): PlantedSecret[] {
  const pw = () => 'hunter' + pick(ALNUM, 10);
  // A password made of words is below any entropy floor: only its key's name gives it away.
  const words = () => Array.from(randomBytes(3), (b) => WORDS[b % WORDS.length]).join('') + pick(DIGITS, 2);
  const at = (kind: string, file: string, value: string, line: (v: string) => string): PlantedSecret => ({ kind, file, lines: [line(value)], values: [value] });
  const azure = pick(HEX, 32);
  const azureExport = pick(HEX, 32);
  const k8sData = randomBytes(24).toString('base64');
  const k8sString = words();
  const tlsKey = [pick(B64, 64), pick(B64, 64)];
  const sessionToken = 'IQoJb3JpZ2luX2VjE' + pick(B64, 300);
  const connPw = words();
  return [
    at('yaml-unquoted-password', 'config/app.yaml', words(), (v) => `db:\n  host: db.internal\n  password: ${v}`),
    at('yaml-quoted-token', 'config/app.yaml', pw(), (v) => `api_token: "${v}" # rotated monthly`),
    at('yaml-client-secret', 'config/app.yaml', pick(ALNUM, 32), (v) => `oauth:\n  clientSecret: ${v}`),
    at('properties-password', 'src/main/resources/application.properties', words(), (v) => `spring.datasource.url=jdbc:postgresql://db/main\nspring.datasource.password=${v}`),
    at('properties-colon-secret', 'src/main/resources/application.properties', pw(), (v) => `app.jwt.secret: ${v}`),
    at('ini-password', 'deploy/settings.ini', words(), (v) => `[database]\nuser = app\npassword = ${v}`),
    { kind: 'ini-aws-session-token', file: 'deploy/settings.ini', lines: ['[aws]', `session_token = ${sessionToken}`], values: [sessionToken] },
    at('toml-api-key', 'config/service.toml', pw(), (v) => `[upstream]\napi_key = "${v}"`),
    at('shell-export-azure-openai-key', 'scripts/setup.sh', azureExport, (v) => `#!/bin/sh\nexport AZURE_OPENAI_KEY=${v}`),
    at('shell-export-password', 'scripts/setup.sh', pw(), (v) => `export PGPASSWORD=${v}`),
    at('dockerfile-env-token', 'Dockerfile', pw(), (v) => `FROM node:24\nENV NPM_TOKEN=${v}`),
    at('compose-list-env-password', 'docker-compose.yml', words(), (v) => `services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=${v}`),
    at('compose-map-env-secret', 'docker-compose.yml', pw(), (v) => `  api:\n    environment:\n      JWT_SECRET: ${v}`),
    at('ci-workflow-env-token', '.github/workflows/deploy.yml', pw(), (v) => `jobs:\n  deploy:\n    env:\n      DEPLOY_TOKEN: ${v}`),
    { kind: 'kubernetes-secret-data', file: 'k8s/secret.yaml', lines: ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app', 'type: Opaque', 'data:', `  db-url: ${k8sData}`], values: [k8sData] },
    { kind: 'kubernetes-secret-string-data', file: 'k8s/secret.yaml', lines: ['stringData:', `  config.json: '${k8sString}'`], values: [k8sString] },
    { kind: 'kubernetes-secret-block-scalar', file: 'k8s/secret.yaml', lines: ['  tls.key: |', ...tlsKey.map((l) => `    ${l}`)], values: tlsKey },
    at('helm-values-password', 'charts/app/values.yaml', words(), (v) => `postgresql:\n  auth:\n    password: ${v}`),
    at('terraform-variable-default', 'infra/variables.tf', words(), (v) => `variable "db_password" {\n  type    = string\n  default = "${v}"\n}`),
    at('terraform-attribute', 'infra/main.tf', pw(), (v) => `resource "aws_db_instance" "main" {\n  username = "app"\n  password = "${v}"\n}`),
    at('tfvars-secret', 'infra/prod.tfvars', pw(), (v) => `db_password = "${v}"`),
    at('appsettings-azure-openai-key', 'appsettings.json', azure, (v) => `{\n  "AzureOpenAI": {\n    "Endpoint": "https://demo.openai.azure.com/",\n    "Key": "${v}"\n  },`),
    at('appsettings-connection-string-password', 'appsettings.json', connPw, (v) => `  "ConnectionStrings": { "Db": "Server=db;User Id=sa;Password=${v};" }\n}`),
    at('maven-settings-password', 'settings.xml', words(), (v) => `<settings><servers><server>\n  <id>releases</id>\n  <password>${v}</password>\n</server></servers></settings>`),
    at('gradle-signing-password', 'gradle.properties', words(), (v) => `signing.keyId=24875D73\nsigning.password=${v}`),
    at('high-entropy-weak-name', 'config/app.yaml', pick(ALNUM, 40) + pick(DIGITS, 4), (v) => `webhook:\n  signature: ${v}`),
  ];
}

/** Files that are never sent at all: by name, and by content under neutral names. */
function credentialFiles(): PlantedSecret[] {
  const never = (kind: string, file: string, lines: string[], values: string[]): PlantedSecret => ({ kind, file, lines, values, neverSent: true });
  const v = () => pick(ALNUM, 24);
  const [pypi, netrc, pgpass, envrc, gitCred, npmrc, yarn, tfPw, tfKey, tfBackup, awsId, awsSecret, awsSession, kubeToken, envValue, htpasswd] = [v(), v(), v(), v(), v(), v(), v(), v(), v(), v(), v(), v(), v(), v(), v(), v()];
  const clientKey = Buffer.from(pem('ec')).toString('base64');
  const putty = puttyKey();
  const pgp = armoured('PGP PRIVATE KEY BLOCK', 600);
  const ssh = openSshKey();
  return [
    never('dotenv', '.env', [`DATABASE_PASSWORD=${envValue}`], [envValue]),
    never('pypirc', '.pypirc', ['[pypi]', 'username = __token__', `password = pypi-AgEIcHlwaS5vcmc${pypi}${pypi}${pypi}`], [pypi]),
    never('netrc', '.netrc', [`machine api.example.com login deploy password ${netrc}`], [netrc]),
    never('pgpass', '.pgpass', [`db.internal:5432:main:app:${pgpass}`], [pgpass]),
    never('envrc', '.envrc', [`export DEPLOY_TOKEN=${envrc}`], [envrc]),
    never('git-credentials', '.git-credentials', [`https://ci-bot:${gitCred}@github.com`], [gitCred]),
    never('htpasswd', 'public/.htpasswd', [`admin:$apr1$${htpasswd}`], [htpasswd]),
    never('npmrc-auth-token', '.npmrc', ['registry=https://registry.npmjs.org/', `//registry.npmjs.org/:_authToken=${npmrc}`], [npmrc]),
    never('yarnrc-auth-token', '.yarnrc.yml', ['npmRegistryServer: "https://registry.example.com"', `npmAuthToken: ${yarn}`], [yarn]),
    never('terraform-state', 'infra/terraform.tfstate', ['{ "version": 4, "resources": [ { "instances": [ { "attributes": {', `  "password": "${tfPw}", "secret_key": "${tfKey}" } } ] } ] }`], [tfPw, tfKey]),
    never('terraform-state-backup', 'infra/terraform.tfstate.backup', [`{ "version": 4, "outputs": { "db": { "value": "${tfBackup}" } } }`], [tfBackup]),
    never('aws-credentials-by-content', 'deploy/aws-profile', ['[default]', `aws_access_key_id = AKIA${awsId.slice(0, 16).toUpperCase()}`, `aws_secret_access_key = ${awsSecret}`, '[ci]', `aws_session_token = ${awsSession}`], [awsSecret, awsSession]),
    never('kubeconfig-client-key-data', 'deploy/admin.kubeconfig.yaml', kubeconfig([`    client-key-data: ${clientKey}`]), [clientKey.slice(0, 60), clientKey.slice(-60)]),
    never('kubeconfig-user-token', 'deploy/ci-cluster', kubeconfig([`    token: ${kubeToken}`]), [kubeToken]),
    never('putty-key-without-extension', 'keys/deploy', putty.text.split('\n'), putty.secrets),
    never('pgp-private-key-file', 'backup/signing.txt', pgp.split('\n'), pemBody(pgp).filter((l) => l.length >= 12)),
    never('openssh-key-file-without-extension', 'keys/ci_deploy', ssh.split('\n'), pemBody(ssh)),
  ];
}
