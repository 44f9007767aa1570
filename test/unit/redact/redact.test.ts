import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { neverSendReason, redactSecrets } from '../../../src/core/redact';

// Secrets are generated at test time: nothing that looks like a credential is committed.
const upperAlnum = (n: number) => Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
const alnum = (n: number) => Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 62]).join('');

describe('redact', () => {
  it('replaces secrets with same-line placeholders and keeps every line number', async () => {
    const aws = 'AKIA' + upperAlnum(16);
    const gh = 'ghp_' + alnum(36);
    const pw = alnum(20);
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', alnum(64), alnum(64), '-----END RSA PRIVATE KEY-----'].join('\n');
    const text = [
      'const region = "us-east-1";',
      `const accessKeyId = "${aws}";`,
      `const token = "${gh}"; // deploy`,
      `db.connect({ password: "${pw}" });`,
      `const key = \`${pem}\`;`,
      'eval(x);',
      '',
    ].join('\n');
    const out = await redactSecrets('src/config.ts', text);
    for (const secret of [aws, gh, pw, pem.split('\n')[1]!]) assert.ok(!out.text.includes(secret), 'a secret survived');
    assert.equal(out.text.split('\n').length, text.split('\n').length);
    const lines = out.text.split('\n');
    assert.match(lines[1]!, /^const accessKeyId = "«redacted:[a-z-]+»";$/);
    assert.match(lines[2]!, /«redacted:[a-z-]+»"; \/\/ deploy$/);
    assert.match(lines[3]!, /password: "«redacted:[a-z-]+»"/);
    assert.equal(lines[8], 'eval(x);');
    assert.ok(out.redactions >= 4);
  });

  it('leaves ordinary code untouched', async () => {
    const text = 'function add(a, b) {\n  return a + b;\n}\n';
    assert.deepEqual(await redactSecrets('a.js', text), { text, redactions: 0, kinds: [] });
  });

  it('never sends .env files and private keys', () => {
    assert.match(neverSendReason('.env', 'A=1')!, /environment file/);
    assert.match(neverSendReason('config/.env.production', 'A=1')!, /environment file/);
    assert.match(neverSendReason('certs/server.pem', 'x')!, /key or certificate/);
    assert.match(neverSendReason('home/id_ed25519', 'x')!, /private key/);
    assert.match(neverSendReason('notes.txt', '\n-----BEGIN OPENSSH PRIVATE KEY-----\nabc')!, /private key/);
    assert.equal(neverSendReason('src/env.ts', 'export const env = 1;'), undefined);
  });
});
