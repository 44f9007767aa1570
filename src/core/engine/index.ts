/** The engine: `createEngine(options)` wires discover → redact → cache → score → plan → schedule → findings. */
export { createEngine } from './engine';
export { CredentialsError, checkCredentials, credentialsHelp } from './credentials';
export { createInterimScorer, type EngineScorer, type ScorerInput } from './interimScorer';
export type * from './api';
export type * from './events';
