/**
 * Is this key name one that holds a secret? Names are split into words (`db.password`,
 * `AZURE_OPENAI_KEY`, `clientSecret` → db/password, azure/openai/key, client/secret) so that
 * `bypass` or `monkey` are not read as `pass` or `key`.
 *
 * - strong: the name says secret (password, token, api key, …): any real-looking value is redacted;
 * - weak: the name could be a secret (`key`, `salt`, `signature`): only a high-entropy value is.
 * A last word that names *about* the secret (`secretName`, `token_url`, `password_file`) makes the
 * value not a secret.
 */
import { shannonEntropy } from './entropy';

export type SecretStrength = 'strong' | 'weak' | undefined;

const STRONG_WORDS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'credential',
  'credentials', 'creds', 'apikey', 'privatekey', 'secretkey', 'accesskey', 'authtoken', 'auth', 'sas', 'dsn',
]);
/** `key` after one of these is a credential: api key, access key, account key, … */
const KEY_QUALIFIERS = new Set([
  'api', 'access', 'private', 'secret', 'account', 'master', 'signing', 'encryption', 'subscription', 'session',
  'client', 'service', 'license', 'shared', 'storage', 'admin', 'app', 'consumer', 'deploy', 'auth', 'openai',
]);
/** Glued words (`PGPASSWORD`, `githubtoken`) that end in a strong word. */
const STRONG_ENDING = /(?:password|passwd|passphrase|secret|token|apikey|credentials?)$/;
const WEAK_WORDS = new Set(['key', 'keys', 'salt', 'hmac', 'signature', 'sig', 'cert', 'connectionstring']);
/** The name describes the secret rather than holding it. */
const ABOUT_WORDS = new Set([
  'name', 'names', 'id', 'ids', 'length', 'len', 'size', 'type', 'types', 'path', 'file', 'filename', 'url', 'uri', 'endpoint',
  'field', 'header', 'env', 'var', 'variable', 'prefix', 'suffix', 'version', 'count', 'ttl', 'expiry', 'expires',
  'expiration', 'format', 'policy', 'provider', 'manager', 'store', 'ref', 'arn', 'label', 'hint', 'regex', 'pattern',
  'enabled', 'required', 'mode', 'method', 'min', 'max', 'timeout', 'rotation', 'location', 'dir', 'template', 'kind',
  'description', 'help', 'placeholder', 'validator', 'schema', 'algorithm', 'alg', 'strength', 'source',
  'command', 'cmd', 'script', 'class', 'helper', 'fn', 'func', 'callback', 'handler', 'service', 'client', 'reset',
]);

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function secretStrength(name: string): SecretStrength {
  const words = nameWords(name);
  if (words.length === 0 || ABOUT_WORDS.has(words[words.length - 1]!)) return undefined;
  let weak = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (STRONG_WORDS.has(word) || STRONG_ENDING.test(word)) return 'strong';
    if (word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)) return 'strong';
    if (WEAK_WORDS.has(word)) weak = true;
  }
  return weak ? 'weak' : undefined;
}

/** Values that name a secret kept elsewhere, or stand in for one, rather than being one. */
const NOT_A_VALUE = [
  /^(?:null|nil|none|true|false|yes|no|on|off|undefined|~|required|optional|string|number|boolean|str|int|bool|bytes)$/i,
  /^\$\{[^}]*\}$|^\$[A-Za-z_]\w*$|^%[A-Za-z_]\w*%$|^\{\{.*\}\}$|^\$\{\{.*\}\}$|^<[^>]*>$|^#\{[^}]*\}$|^@[A-Za-z_]\w*@$/,
  /^(?:\*+|x+|X+|\.+|-+|_+|\?+)$/,
  /^!\w+/, // YAML tags: !Ref, !Sub, !vault
  /^(?:\.{0,2}\/|~\/)[\w./-]+$/, // a path to a secrets file
  /^[a-z][a-z0-9+.-]*:\/\/[^:@\s]+$/i, // a URL without credentials
  /^(?:process\.env|os\.environ|env\(|getenv|System\.getenv|ENV\[|secrets\.|vars\.)/,
  /\$\{/, // a template or shell interpolation: the secret is elsewhere
  /^[\^~<>=v]*\d+(?:\.\d+)+(?:[-+][\w.]+)?$/, // a version (`^3.972.94`), as in package.json
];

export function isPlaceholder(value: string): boolean {
  return NOT_A_VALUE.some((r) => r.test(value));
}

/** `chorus.ignoredFingerprints.v1`, `app-config/v2`, `user_id_42`: words and short numbers, joined. */
export function isIdentifierLike(value: string): boolean {
  return value.split(/[._\-/:@]+/).every((part) => /^(?:[A-Za-z][a-z]*)*[A-Za-z]?\d{0,3}$|^\d{1,4}$/.test(part));
}

/**
 * A value random enough to be a key, that ordinary identifiers, words and sentences do not pass:
 * 16+ characters, no spaces, letters and digits both, not words joined by separators, and ≥ 3 bits
 * of entropy per character.
 */
export function isHighEntropy(value: string): boolean {
  return (
    value.length >= 16 &&
    !/\s/.test(value) &&
    !isIdentifierLike(value) &&
    /[A-Za-z]/.test(value) &&
    /\d/.test(value) &&
    shannonEntropy(value) >= 3 &&
    !isPlaceholder(value)
  );
}

/** Whether `value`, assigned to `name`, is to be redacted. `minLength` is for strong names. */
export function isSecretAssignment(name: string, value: string, minLength: number): boolean {
  const strength = secretStrength(name);
  if (!strength || isPlaceholder(value)) return false;
  if (strength === 'weak') return isHighEntropy(value);
  return value.length >= minLength || isHighEntropy(value);
}

/**
 * In code, a string that names something rather than being a secret: `"X-Amz-Security-Token"`,
 * `"AWS_SECRET_KEY"`, `"STRING_VALUE"`, `MAX_TOKENS: "max_tokens"` — several words joined by
 * separators, an all-capitals word, or the key's own name.
 */
export function isCodeConstant(name: string, value: string): boolean {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (squash(name).endsWith(squash(value))) return true;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(value)) return true;
  return /[._\-/:]/.test(value) && isIdentifierLike(value);
}
