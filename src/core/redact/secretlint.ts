/**
 * The maintained detector: secretlint's recommended preset, run in-process through @secretlint/core.
 * AWS access key ids are opted in (the preset leaves them off by default to avoid noise; for us a
 * false positive costs one placeholder, a false negative leaks a key).
 *
 * Comments in the analyzed code never switch redaction off: the preset's comment filter
 * (`secretlint-disable`, `secretlint-disable-next-line`, …) is disabled, and the directives are
 * defused in the copy secretlint scans (same length, so every offset stays true).
 */
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretRange } from './extraDetectors';

const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';

const config = {
  rules: [
    {
      id: PRESET_ID,
      rule: recommended,
      rules: [
        { id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } },
        { id: '@secretlint/secretlint-rule-filter-comments', disabled: true },
      ],
    },
  ],
};

/** `AWSAccessKeyID` → `aws-access-key-id`: a short, readable kind for the placeholder. */
export function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** `secretlint-disable…`/`secretlint-enable` → `secretlint_disable…`: inert, and the same length. */
export function defuseDirectives(text: string): string {
  return text.replace(/secretlint-(?=(?:disable|enable))/gi, 'secretlint_');
}

export async function detectWithSecretlint(path: string, text: string): Promise<SecretRange[]> {
  const result = await lintSource({
    // secretlint's profiler names performance marks after the path and parses them back with a regex
    // that a newline or `::end` in a file name breaks (an unhandled rejection ends the process).
    // Rules look only at the name's ending, which this keeps.
    source: { content: defuseDirectives(text), filePath: path.replace(/[\r\n\u2028\u2029]|::/g, '_'), contentType: 'text' },
    options: { config, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages
    .filter((m) => m.type === 'message')
    .map((m) => ({ start: m.range[0], end: m.range[1], kind: kebab(m.messageId || m.ruleId) }));
}

/**
 * secretlint's profiler marks the performance timeline several times per rule and file, and on each
 * new mark searches every mark it kept: files redacted concurrently (a workspace run prepares them
 * all at once) kept thousands in flight, so emptying its lists after each scan was not enough —
 * estimating 1,500 files took 33 s, 22 s of it in that search, on the extension host's thread.
 * Nothing reads the profile (secretlint's core only marks), so its marks are switched off: no search,
 * and no performance entries piling up in a long-lived host.
 */
(secretLintProfiler as unknown as { mark: (marker: unknown) => void }).mark = () => {};
