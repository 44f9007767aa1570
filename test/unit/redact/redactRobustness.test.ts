import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { neverSendReason, redactSecrets } from '../../../src/core/redact';

const N = 512 * 1024; // the default maxFileKb: the largest file a run reads

describe('redaction robustness', function () {
  this.timeout(120_000);

  it('stays near-linear on 512 KB of hostile text (a repository may craft it)', async () => {
    // Each shape once took quadratic time in one detector or another (a long identifier run cost
    // 468 s before the assignment pattern was bounded); 5 s leaves room for a busy 2-core machine.
    const shapes: Record<string, string> = {
      'one long word': 'a'.repeat(N),
      'assignment to a long word': 'password = ' + 'a'.repeat(N),
      'blanks after a key': 'x:' + ' '.repeat(N),
      'repeated key': 'password='.repeat(N / 9),
      'PEM headers without END': '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(N / 32),
      'Kubernetes Secrets': ('kind: Secret\ndata:\n' + '  a: b\n'.repeat(50) + '---\n').repeat(N / 320),
      'unclosed Terraform variables': 'variable "a_password" { '.repeat(N / 25),
      'blank lines': '\n'.repeat(N),
      'blanks and tabs on every line': ' \t\n'.repeat(N / 3),
    };
    for (const [name, text] of Object.entries(shapes)) {
      const started = performance.now();
      await redactSecrets('hostile.yaml', text);
      const ms = performance.now() - started;
      assert.ok(ms < 5000, `${name}: ${Math.round(ms)} ms`);
    }
  });

  it('recognizes credential files in linear time (a kubeconfig header over 512 K blank lines hung)', () => {
    const shapes = [
      'apiVersion: v1\nkind: Config\n' + '\n'.repeat(N),
      '[default]\n' + ' \n'.repeat(N / 2),
      'x\n' + '\t\n'.repeat(N / 2) + 'aws_session_token=',
      '\n'.repeat(N) + 'PuTTY',
    ];
    for (const text of shapes) {
      const started = performance.now();
      neverSendReason('deploy/file', text);
      const ms = performance.now() - started;
      assert.ok(ms < 2000, `${Math.round(ms)} ms on ${JSON.stringify(text.slice(0, 16))}…`);
    }
  });

  it('keeps every line break and every line without a secret, whatever the text (property)', async () => {
    const secretLine = fc.constantFrom(
      () => `token: ghp_${randomBytes(27).toString('base64url').slice(0, 36)}`,
      () => `password = "${randomBytes(12).toString('hex')}"`,
      () => `-----BEGIN RSA PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n-----END RSA PRIVATE KEY-----`,
    );
    const plainLine = fc.stringMatching(/^[a-z (){};.]{0,40}$/);
    const eol = fc.constantFrom('\n', '\r\n');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.oneof(plainLine, secretLine.map((make) => make())), eol), { maxLength: 20 }), async (parts) => {
        const text = parts.map(([line, end]) => line + end).join('');
        const out = await redactSecrets('src/a.txt', text);
        const lines = (t: string) => t.split(/\r\n|\n/);
        assert.equal(lines(out.text).length, lines(text).length);
        assert.equal(out.text.match(/\r\n/g)?.length ?? 0, text.match(/\r\n/g)?.length ?? 0);
        lines(text).forEach((line, i) => {
          if (/^[a-z (){};.]*$/.test(line)) assert.equal(lines(out.text)[i], line);
        });
      }),
      { numRuns: 60 },
    );
  });
});
