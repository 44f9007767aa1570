/**
 * Which failures deserve the user's attention, and only once: missing or expired credentials, access
 * denied, every model failing. A run over 300 files that fails on each must raise one notification,
 * not 300; the same problem is not raised again until a run succeeds (or the settings change).
 * Decided on outcome codes (src/core/outcome.ts), never on a message's wording.
 */
import { ConfigError } from '../../core/config/parse';
import { codeOfErrorKind, isCredentialsCode, isOutcomeCode, type OutcomeCode } from '../../core/outcome';
import { classifyError } from '../../core/providers/classify';

export type ProblemKind = 'credentials' | 'region' | 'access-denied' | 'all-models-failed' | 'config';

export interface Problem {
  kind: ProblemKind;
  /** One sentence the user can act on. */
  message: string;
}

/** The problem an outcome code (a failed file's, a model leaving) raises; undefined = not for the user. */
export function problemOf(code: OutcomeCode | undefined): ProblemKind | undefined {
  if (isCredentialsCode(code)) return 'credentials';
  if (code === 'access-denied') return 'access-denied';
  return undefined;
}

/**
 * The problem a run that threw raises: invalid settings, an error that carries its outcome code (the
 * credentials preflight), else what the provider's classifier makes of it (an SDK credentials error).
 */
export function problemOfError(error: unknown): ProblemKind | undefined {
  if (error instanceof ConfigError) return 'config';
  const code: unknown = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (isOutcomeCode(code)) return problemOf(code);
  const classified = classifyError(error);
  return problemOf(codeOfErrorKind(classified.kind, classified.code, classified.httpStatus));
}

export function describe(kind: ProblemKind, detail: string): string {
  switch (kind) {
    case 'credentials':
      return 'Chorus found no valid AWS credentials. Set chorus.profile (and run `aws sso login` for SSO), or provide AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment VS Code starts from.';
    case 'region':
      return 'Chorus needs an AWS region: set chorus.region (for example us-east-1) in your user settings.';
    case 'access-denied':
      return `Bedrock denied access to a model (${firstLine(detail)}). Enable model access in the Bedrock console, or remove the model from chorus.models.`;
    case 'all-models-failed':
      return `Every Chorus model failed in the last run (${firstLine(detail)}). Test the connection or open the log for details.`;
    case 'config':
      return `Chorus settings are invalid: ${firstLine(detail)}`;
  }
}

/** Remembers what was already shown so that one problem makes one notification. */
export class ProblemGate {
  private shown = new Set<ProblemKind>();

  /** True when this problem should be shown now (first time since the last success/reset). */
  admit(kind: ProblemKind): boolean {
    if (this.shown.has(kind)) return false;
    this.shown.add(kind);
    return true;
  }

  /** A successful run (or new settings): the same problem may be shown again if it comes back. */
  reset(): void {
    this.shown.clear();
  }
}

/** Every model that ran in the result failed all its files: the signal for `all-models-failed`. */
export function allModelsFailed(outcomes: ReadonlyArray<{ status: string }>): boolean {
  const sent = outcomes.filter((o) => o.status !== 'skipped');
  return sent.length > 0 && sent.every((o) => o.status === 'failed');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
