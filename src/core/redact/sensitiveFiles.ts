/**
 * Files that are never sent, whatever their content looks like: credential files hold secrets by
 * design (redacting them line by line would still send their shape, user names and hosts), and a
 * private key redacted line by line would still be a private key file. They are skipped with a
 * reason instead of redacted. Recognized by name, and by content for the ones that travel under
 * any name (kubeconfigs, AWS credentials, PuTTY/PGP/PEM/OpenSSH keys).
 */

interface SensitiveFile {
  reason: string;
  /** Matches the file's base name. */
  name?: RegExp;
  /** Matches the whole path (for names that are only telling inside a folder). */
  path?: RegExp;
  /** A look at the content; with `name`/`path` too, both must hold. */
  content?: (text: string) => boolean;
}

// Line-anchored patterns use `[ \t]`, never `\s`: under the `m` flag `\s*` would run across blank
// lines from every line start, quadratic on a crafted file.
/** `.npmrc`/`.yarnrc.yml` are ordinary config until they carry a registry credential. */
const NPM_AUTH = /^[ \t]*(?:\/\/[^\s=]*:)?(?:_authToken|_auth|_password|npmAuthToken|npmAuthIdent|npmPassword)[ \t]*[:=]/m;
const KUBECONFIG = (t: string) =>
  /^apiVersion:[ \t]*["']?v1["']?[ \t]*$/m.test(t) &&
  /^kind:[ \t]*["']?Config["']?[ \t]*$/m.test(t) &&
  /^users:|client-key-data:|client-certificate-data:|^[ \t]+token:/m.test(t);
/** An ini file with a `[profile]` and AWS key lines: `~/.aws/credentials` under whatever name. */
const AWS_CREDENTIALS = (t: string) =>
  /^[ \t]*\[[^\]\n]+\][ \t]*$/m.test(t) && /^[ \t]*aws_(?:secret_access_key|session_token|access_key_id)[ \t]*=/im.test(t);
const KEY_FILE_HEADER = /^(?:-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d+:)/;

const SENSITIVE_FILES: readonly SensitiveFile[] = [
  { reason: 'environment file (.env) — never sent', name: /^\.env(?:\..+)?$|\.env$/i },
  { reason: 'direnv file (.envrc) — never sent', name: /^\.envrc$/i },
  { reason: 'private key file — never sent', name: /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/ },
  { reason: 'key or certificate file — never sent', name: /\.(?:pem|key|p12|pfx|jks|keystore|ppk|asc|gpg)$/i },
  { reason: 'credential file (.netrc) — never sent', name: /^[._]netrc$/i },
  { reason: 'credential file (.pgpass) — never sent', name: /^\.pgpass$/i },
  { reason: 'credential file (.pypirc) — never sent', name: /^\.pypirc$/i },
  { reason: 'credential file (.git-credentials) — never sent', name: /^\.git-credentials$/i },
  { reason: 'credential file (.htpasswd) — never sent', name: /^\.htpasswd$/i },
  { reason: 'credential file (.my.cnf) — never sent', name: /^\.my\.cnf$/i },
  { reason: 'credential file (.s3cfg) — never sent', name: /^\.s3cfg$/i },
  { reason: 'registry credentials (.npmrc/.yarnrc.yml with auth) — never sent', name: /^\.npmrc$|^\.yarnrc\.ya?ml$/i, content: (t) => NPM_AUTH.test(t) },
  { reason: 'Terraform state (*.tfstate) — never sent', name: /\.tfstate(?:\.backup)?$/i },
  { reason: 'AWS credentials file — never sent', path: /(?:^|\/)\.aws\/(?:credentials|config)$/ },
  { reason: 'AWS credentials file — never sent', content: AWS_CREDENTIALS },
  { reason: 'kubeconfig with credentials — never sent', content: KUBECONFIG },
  { reason: 'private key file — never sent', content: (t) => KEY_FILE_HEADER.test(t.trimStart()) },
];

/** The reason a file must never leave the machine, or undefined when it may (after redaction). */
export function neverSendReason(path: string, text: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  for (const file of SENSITIVE_FILES) {
    if (file.name && !file.name.test(name)) continue;
    if (file.path && !file.path.test(path)) continue;
    if (file.content && !file.content(text)) continue;
    return file.reason;
  }
  return undefined;
}
