/** Rules kept in the repository (AGENTS.md, .chorus/instructions.md, .chorus/rules.json). */
export { composeInstructions, repositoryOverrides, withRepositoryNoise } from './compose';
export { BASELINE_FILE, committedBaseline, INSTRUCTION_FILES, loadRepositoryRules, MAX_REPOSITORY_INSTRUCTION_BYTES, noRepositoryRules, RULES_FILE, stripControl, type RepositoryRules } from './load';
export { parseRulesJson, type PathRule, type RulesFile } from './validate';
