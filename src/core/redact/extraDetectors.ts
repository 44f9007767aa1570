/**
 * Secrets secretlint's recommended preset does not report (it favours precision on known token
 * formats): pasted PEM blocks, JSON Web Tokens, bearer and basic-auth tokens and a few provider
 * formats (credentials assigned to secret-like names are in secretAssignments.ts). Each
 * detector returns character ranges of the secret value only, so the code around it stays readable.
 */

export interface SecretRange {
  start: number;
  end: number;
  kind: string;
}

interface Detector {
  kind: string;
  pattern: RegExp;
  /** Index of the capture group holding the secret value. */
  group: number;
  /** A second look at the value, for shapes that ordinary words could also have. */
  accept?: (value: string) => boolean;
}

/** `user:password` in base64, as basic auth carries it ("Basic authentication" is not one). */
function isBase64Credentials(value: string): boolean {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return /^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded);
}

const DETECTORS: readonly Detector[] = [
  {
    // A PEM private key pasted into source (secretlint only reports keys whose body parses).
    kind: 'private-key',
    // Bounded (a 16 KB key is far beyond RSA-8192), so headers without an END cost linear time.
    pattern: /(-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,16384}?-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)/g,
    group: 1,
  },
  {
    kind: 'jwt',
    pattern: /\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g,
    group: 1,
  },
  {
    kind: 'bearer-token',
    pattern: /\bBearer\s+([A-Za-z0-9._~+/=-]{16,})/g,
    group: 1,
  },
  // The kinds below were found missing by the secrets corpus (test/reliability/secrets.test.ts):
  // the recommended preset does not report them in the shapes they have in code.
  {
    // `Authorization: Basic base64(user:password)`: the base64 decodes to the password.
    kind: 'basic-auth',
    pattern: /\bBasic\s+([A-Za-z0-9+/]{12,}={0,2})/g,
    group: 1,
    accept: isBase64Credentials,
  },
  {
    kind: 'stripe-live-key',
    pattern: /\b((?:sk|rk)_live_[0-9A-Za-z]{24,})/g,
    group: 1,
  },
  {
    kind: 'sendgrid-api-key',
    pattern: /\b(SG\.[\w-]{22}\.[\w-]{43})/g,
    group: 1,
  },
  {
    kind: 'google-api-key',
    pattern: /\b(AIza[\w-]{35})/g,
    group: 1,
  },
  {
    // Azure storage / Service Bus connection strings: `AccountKey=…;`, `SharedAccessKey=…;`.
    kind: 'azure-connection-key',
    pattern: /\b(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{20,}={0,2})/g,
    group: 1,
  },
];

export function detectExtraSecrets(text: string): SecretRange[] {
  const out: SecretRange[] = [];
  for (const detector of DETECTORS) {
    for (const match of text.matchAll(detector.pattern)) {
      const value = match[detector.group];
      if (value === undefined || match.index === undefined) continue;
      if (detector.accept && !detector.accept(value)) continue;
      // The value is the last capture; find it inside the whole match to get its offset.
      const start = match.index + match[0].lastIndexOf(value);
      out.push({ start, end: start + value.length, kind: detector.kind });
    }
  }
  return out;
}
