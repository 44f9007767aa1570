/**
 * The guidance a prompt carries: the user's own `chorus.instructions` first, then the repository's,
 * labelled as such so the model reads them as the project's conventions (the contract's renderer
 * neutralizes anything in them that looks like its file markers).
 */
import type { NoiseOptions } from '../findings/noise';
import type { RepositoryRules } from './load';

export function composeInstructions(user: string | undefined, repository: RepositoryRules | undefined): string | undefined {
  const parts: string[] = [];
  if (user?.trim()) parts.push(user.trim());
  if (repository?.instructions) parts.push(`Repository conventions (from ${repository.sources.join(', ')}):\n${repository.instructions}`);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/** Noise control's view of the repository rules. */
export function repositoryOverrides(rules: RepositoryRules | undefined): { categoriesOff: RepositoryRules['categoriesOff']; paths: RepositoryRules['paths'] } {
  return { categoriesOff: rules?.categoriesOff ?? [], paths: rules?.paths ?? [] };
}

/** The user's noise options with the repository's categories off and per-path overrides added. */
export function withRepositoryNoise(user: NoiseOptions, rules: RepositoryRules | undefined): NoiseOptions {
  const categoriesOff = [...new Set([...(user.categoriesOff ?? []), ...(rules?.categoriesOff ?? [])])];
  const overrides = [...(user.overrides ?? []), ...(rules?.paths ?? [])];
  return { ...user, ...(categoriesOff.length > 0 ? { categoriesOff } : {}), ...(overrides.length > 0 ? { overrides } : {}) };
}
