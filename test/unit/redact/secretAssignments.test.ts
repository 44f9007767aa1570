import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { redactSecrets } from '../../../src/core/redact';
import { detectSecretAssignments } from '../../../src/core/redact/secretAssignments';
import { isHighEntropy, secretStrength } from '../../../src/core/redact/secretNames';
import { defuseDirectives, detectWithSecretlint } from '../../../src/core/redact/secretlint';

// Generated at test time; `word()` is a low-entropy, password-like value no token rule knows.
const word = () => 'hunter' + randomBytes(4).readUInt32BE(0).toString(36) + 'hunter';
const key = () => randomBytes(16).toString('hex');
const alnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 62]).join('');
/**
 * A random token with digits among its letters (every fourth character), as keys are. A plain
 * `alnum(24)` has no digit 1.7 % of the time, or digits only at its end (identifier-like) 0.4 %: the
 * entropy assertion below failed about one run in fifty.
 */
const mixedToken = (n: number) =>
  Array.from(randomBytes(n), (b, i) => (i % 4 === 1 ? '0123456789'[b % 10] : 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 62])).join('');

/** Redacts `text` as `path` and asserts none of `values` survives and the line count is kept. */
async function assertRedacted(path: string, text: string, values: string[]): Promise<string> {
  const out = await redactSecrets(path, text);
  for (const value of values) assert.ok(!out.text.includes(value), `${path}: ${value} survived in\n${out.text}`);
  assert.equal(out.text.split('\n').length, text.split('\n').length, `${path}: line count`);
  return out.text;
}

describe('secret-named assignments', () => {
  it('unquoted and quoted values in YAML, .properties, ini, dotenv, shell and docker-compose', async () => {
    const [a, b, c, d, e, f, g] = [word(), word(), word(), word(), word(), key(), word()];
    await assertRedacted('config/app.yaml', `db:\n  host: db.internal\n  password: ${a}\n  api_token: "${b}" # rotated\n`, [a, b]);
    await assertRedacted('src/main/resources/application.properties', `db.url=jdbc:postgresql://db/main\ndb.password=${c}\n`, [c]);
    await assertRedacted('deploy/settings.ini', `[database]\nuser = app\npassword = ${d}\n`, [d]);
    await assertRedacted('.env.example.sh', `export DB_PASSWORD=${e}\nexport AZURE_OPENAI_KEY=${f}\n`, [e, f]);
    const compose = `services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=${g}\n      POSTGRES_USER: app\n`;
    const out = await assertRedacted('docker-compose.yml', compose, [g]);
    assert.match(out, /POSTGRES_USER: app/);
  });

  it('Kubernetes Secret data:/stringData: values whatever their key, block scalars included', async () => {
    const [a, b, c] = [randomBytes(24).toString('base64'), word(), alnum(30)];
    const manifest = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: web }',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: app-secrets',
      'type: Opaque',
      'data:',
      `  db-url: ${a}`,
      'stringData:',
      `  config.json: '${b}'`,
      '  tls.key: |',
      `    ${c}`,
      `    ${c.split('').reverse().join('')}`,
      '',
    ].join('\n');
    const out = await assertRedacted('k8s/secret.yaml', manifest, [a, b, c, c.split('').reverse().join('')]);
    assert.match(out, /name: app-secrets/);
  });

  it('Terraform values and JSON settings (appsettings.json), connection-string passwords', async () => {
    const [a, b, c, d] = [word(), word(), key(), word()];
    await assertRedacted('infra/variables.tf', `variable "db_password" {\n  type    = string\n  default = "${a}"\n}\nresource "x" "y" { password = "${b}" }\n`, [a, b]);
    const appsettings = `{\n  "AzureOpenAI": {\n    "Endpoint": "https://demo.openai.azure.com/",\n    "Key": "${c}"\n  },\n  "ConnectionStrings": { "Db": "Server=db;User Id=sa;Password=${d};" }\n}\n`;
    const out = await assertRedacted('appsettings.json', appsettings, [c, d]);
    assert.match(out, /"Endpoint": "https:\/\/demo\.openai\.azure\.com\/"/);
  });

  it('leaves ordinary code and configuration alone (false positives)', async () => {
    const code = [
      'const password = getPassword();',
      'function login(user: string, token: string): Promise<void> {',
      '  const secretName = "db";',
      '  const tokenUrl = "https://auth.example.com/oauth/token";',
      '  const passwordField = "user-password-input";',
      '  this.apiKey = config.apiKey;',
      '  return client.auth({ password: process.env.DB_PASSWORD, token });',
      '}',
      'const keyboard = "qwerty-international-layout";',
      'export const TOKEN_QUERY_PARAM = "X-Amz-Security-Token";',
      'const enums = { AWS_SECRET_KEY: "AWS_SECRET_KEY", MAX_TOKENS: "max_tokens", clientRequestToken: "STRING_VALUE" };',
      'auth = `${username}:${password}@`;',
      'const deps = { "@aws-sdk/credential-provider-node": "^3.972.94" };',
      '',
    ].join('\n');
    assert.deepEqual(await redactSecrets('src/login.ts', code), { text: code, redactions: 0, kinds: [] });
    const yaml = [
      'password: ${DB_PASSWORD}',
      'token: "{{ .Values.token }}"',
      'secretName: app-secrets',
      'passwordFile: /run/secrets/db',
      'auth: true',
      'key: app.kubernetes.io/name',
      'valueFrom:',
      '  secretKeyRef: { name: db, key: password }',
      'monkey: bananas-and-more-bananas',
      '',
    ].join('\n');
    assert.deepEqual(detectSecretAssignments('deploy/values.yaml', yaml), []);
  });

  it('names and entropy: what counts as secret-like', () => {
    assert.equal(secretStrength('db.password'), 'strong');
    assert.equal(secretStrength('AZURE_OPENAI_KEY'), 'strong');
    assert.equal(secretStrength('clientSecret'), 'strong');
    assert.equal(secretStrength('signingKey'), 'strong');
    assert.equal(secretStrength('PGPASSWORD'), 'strong');
    assert.equal(secretStrength('Key'), 'weak');
    for (const name of ['secretName', 'token_url', 'passwordFile', 'bypass', 'monkey', 'keyboard', 'author']) {
      assert.equal(secretStrength(name), undefined, name);
    }
    assert.ok(isHighEntropy(key()));
    assert.ok(isHighEntropy(mixedToken(24)));
    for (const ordinary of ['getUserAccountSettings', 'configuration-management', 'the quick brown fox 42', 'v1.2.3-beta.4', 'aaaaaaaa11111111', 'chorus.ignoredFingerprints.v1', 'com.example.app/api-v2']) {
      assert.equal(isHighEntropy(ordinary), false, ordinary);
    }
  });
});

describe('comments never switch redaction off', () => {
  it('secretlint-disable directives in the file are ignored by secretlint itself', async () => {
    const token = 'ghp_' + alnum(36);
    for (const directive of ['// secretlint-disable-next-line', '/* secretlint-disable */', '# secretlint-disable-line']) {
      const text = `${directive}\nconst t = "${token}";\n`;
      const ranges = await detectWithSecretlint('src/a.ts', text);
      assert.ok(ranges.some((r) => text.slice(r.start, r.end).includes(token)), `${directive} switched secretlint off`);
      const out = await redactSecrets('src/a.ts', text);
      assert.ok(!out.text.includes(token));
      assert.ok(out.text.startsWith(directive), 'the comment itself is sent as written');
    }
  });

  it('defusing a directive keeps every offset (the scanned copy has the same length)', () => {
    const text = '/* secretlint-disable */ x // SECRETLINT-ENABLE\n';
    assert.equal(defuseDirectives(text).length, text.length);
    assert.ok(!/secretlint-(?:disable|enable)/i.test(defuseDirectives(text)));
  });
});
