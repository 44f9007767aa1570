export { knownRules, MITRE_CWE, ruleEntry, ruleHelpUri, type RuleEntry } from './rules';
