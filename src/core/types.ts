/** Plain data passed between the pipeline's stages. */
import type { RawFinding, Severity } from './contract';
import type { OutcomeCode } from './outcome';

export type { Outcome, OutcomeCode } from './outcome';

/** A file that entered a run, after discovery and redaction. */
export interface SourceFile {
  /** Workspace-relative path with forward slashes; the identity of a file everywhere in Chorus. */
  path: string;
  /** Redacted text: what may leave the machine. Same line count as the original. */
  text: string;
  /** Size of the original file in bytes. */
  bytes: number;
  /** sha256 of `text` (after redaction), hex. */
  hash: string;
  /** How many secrets were redacted from it. */
  redactions: number;
}

/** Related files scored together (issue: complexity scoring). */
export interface Group {
  files: string[];
  /** Sum of the files' sizes in bytes. */
  totalSize: number;
  /** Dependency factor, 0..1. */
  complexity: number;
  /** 0.3·size + 0.5·complexity + 0.2·fileCount, 0..1; routing compares it with minComplexity. */
  score: number;
}

/** A validated finding, as the engine publishes it. */
export interface Finding extends RawFinding {
  severity: Severity;
  /** Id of the model that reported it. */
  model: string;
  /** Stable across line shifts: derived from file, rule and the flagged code, not the line number. */
  fingerprint: string;
}

export type FileStatus = 'analyzed' | 'skipped' | 'failed';

/** How every file that entered a run left it. Nothing is lost: each path gets exactly one. */
export interface FileOutcome {
  path: string;
  status: FileStatus;
  /** Why it was skipped or failed, for people. */
  reason?: string;
  /** Why it was skipped or failed, as data (src/core/outcome.ts): what hosts switch on. */
  code?: OutcomeCode;
  /** Whether analyzing it again later may succeed (a throttle, a cancel), for a skipped or failed file. */
  retryable?: boolean;
  /**
   * Set on an analyzed file whose findings are not the model's whole answer, and why: the answer
   * stopped at the largest output cap (max_tokens), or caps cut findings, messages or suggestions.
   */
  partial?: string;
  model?: string;
  cached?: boolean;
  findings: Finding[];
}

export type Lane = 'interactive' | 'background';
