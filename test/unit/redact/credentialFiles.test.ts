import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { neverSendReason } from '../../../src/core/redact';

// Values are generated at test time: nothing credential-shaped is committed.
const secret = () => randomBytes(18).toString('base64url');

describe('credential files are never sent', () => {
  it('by name: netrc, pgpass, pypirc, envrc, git-credentials, tfstate, …', () => {
    const cases: [string, RegExp][] = [
      ['.pypirc', /\.pypirc/],
      ['home/.netrc', /\.netrc/],
      ['_netrc', /\.netrc/],
      ['.pgpass', /\.pgpass/],
      ['project/.envrc', /\.envrc/],
      ['.git-credentials', /\.git-credentials/],
      ['infra/terraform.tfstate', /Terraform state/],
      ['infra/terraform.tfstate.backup', /Terraform state/],
      ['.htpasswd', /\.htpasswd/],
      ['.aws/credentials', /AWS credentials/],
    ];
    for (const [path, reason] of cases) {
      const why = neverSendReason(path, `anything ${secret()}`);
      assert.match(why ?? '', reason, path);
      assert.match(why!, /never sent/, path);
    }
  });

  it('.npmrc and .yarnrc.yml only when they carry a registry credential', () => {
    assert.match(neverSendReason('.npmrc', `registry=https://r.example/\n//r.example/:_authToken=${secret()}\n`)!, /registry credentials/);
    assert.match(neverSendReason('.yarnrc.yml', `npmRegistryServer: "https://r.example"\nnpmAuthToken: ${secret()}\n`)!, /registry credentials/);
    assert.equal(neverSendReason('.npmrc', 'registry=https://registry.npmjs.org/\nsave-exact=true\n'), undefined);
    assert.equal(neverSendReason('.yarnrc.yml', 'nodeLinker: node-modules\n'), undefined);
  });

  it('by content, whatever the name: kubeconfig, AWS credentials, PuTTY, PGP and OpenSSH keys', () => {
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- cluster: { server: "https://k8s.example:6443" }',
      '  name: prod',
      'users:',
      '- name: admin',
      '  user:',
      `    client-key-data: ${randomBytes(48).toString('base64')}`,
    ].join('\n');
    assert.match(neverSendReason('deploy/admin.yaml', kubeconfig)!, /kubeconfig/);
    const tokenOnly = kubeconfig.replace(/client-key-data: .*/, `token: ${secret()}`);
    assert.match(neverSendReason('cluster-config', tokenOnly)!, /kubeconfig/);

    const aws = `[default]\naws_access_key_id = AKIA${secret().slice(0, 16)}\naws_secret_access_key = ${secret()}\n[ci]\naws_session_token = ${secret()}\n`;
    assert.match(neverSendReason('deploy/creds.ini', aws)!, /AWS credentials/);

    const putty = `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ci\nPublic-Lines: 2\n${secret()}\nPrivate-Lines: 1\n${secret()}\n`;
    assert.match(neverSendReason('keys/deploy', putty)!, /private key/);
    assert.match(neverSendReason('backup.txt', `\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${secret()}\n-----END PGP PRIVATE KEY BLOCK-----\n`)!, /private key/);
    assert.match(neverSendReason('deploy_key', `-----BEGIN OPENSSH PRIVATE KEY-----\n${secret()}\n-----END OPENSSH PRIVATE KEY-----\n`)!, /private key/);
  });

  it('does not hold back ordinary files that mention those words', () => {
    const ordinary: [string, string][] = [
      ['src/env.ts', 'export const env = 1;'],
      ['docs/kubernetes.md', 'Set `kind: Config` and `apiVersion: v1` in your kubeconfig; see users: below.'],
      ['k8s/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n'],
      ['setup.cfg', '[metadata]\nname = chorus\n[options]\npackages = find:\n'],
      ['src/aws.ts', 'const key = process.env.aws_secret_access_key;'],
      ['src/putty.ts', '// parses files that start with PuTTY-User-Key-File-3\nexport function parse() {}'],
      ['terraform/main.tf', 'resource "aws_s3_bucket" "b" { bucket = "logs" }'],
    ];
    for (const [path, text] of ordinary) assert.equal(neverSendReason(path, text), undefined, path);
  });
});
