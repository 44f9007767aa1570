/**
 * Files that are never sent, whatever their content looks like: environment files hold secrets by
 * design, and a private key redacted line by line would still be a private key file. They are
 * skipped with a reason instead of redacted.
 */

const ENV_FILE = /^\.env(?:\..+)?$|\.env$/i;
const KEY_EXTENSIONS = /\.(?:pem|key|p12|pfx|jks|keystore|ppk|asc|gpg)$/i;
const SSH_KEY_NAMES = /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/;
const PRIVATE_KEY_HEADER = /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;

/** The reason a file must never leave the machine, or undefined when it may (after redaction). */
export function neverSendReason(path: string, text: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (ENV_FILE.test(name)) return 'environment file (.env) — never sent';
  if (SSH_KEY_NAMES.test(name)) return 'private key file — never sent';
  if (KEY_EXTENSIONS.test(name)) return 'key or certificate file — never sent';
  if (PRIVATE_KEY_HEADER.test(text.trimStart())) return 'private key file — never sent';
  return undefined;
}
