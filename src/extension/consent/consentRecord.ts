/**
 * Consent to send code, per workspace and per destination: one prompt before the first code leaves
 * a workspace, saying what is sent where. The answer is remembered for that destination; pointing
 * Chorus somewhere else (another endpoint or region) asks again, because the user agreed to a place.
 */
import type { ChorusConfig } from '../../core/config/types';

export const CONSENT_KEY = 'chorus.consent.v1';

export interface ConsentRecord {
  destination: string;
  granted: boolean;
  at: string;
}

/** Where code goes, in words the user can check: the endpoint, or Bedrock in a region. */
export function destinationOf(config: Pick<ChorusConfig, 'endpoint' | 'region'>): string {
  return config.endpoint ? `the endpoint ${config.endpoint}` : `Amazon Bedrock in ${config.region}`;
}

export type ConsentState = 'granted' | 'declined' | 'unknown';

export function consentState(record: unknown, destination: string): ConsentState {
  if (!isRecord(record) || record.destination !== destination) return 'unknown';
  return record.granted ? 'granted' : 'declined';
}

export function consentPrompt(workspaceName: string, config: Pick<ChorusConfig, 'endpoint' | 'region' | 'models'>): string {
  const models = config.models.map((m) => m.label ?? m.id).join(', ');
  return (
    `Chorus will send the contents of files in "${workspaceName}" to ${destinationOf(config)} ` +
    `(models: ${models}) to analyze them. Secrets it recognizes are redacted first, and files ignored ` +
    `by .gitignore or chorus.exclude are never sent. Nothing else is collected. Allow?`
  );
}

function isRecord(value: unknown): value is ConsentRecord {
  return typeof value === 'object' && value !== null && typeof (value as ConsentRecord).destination === 'string' && typeof (value as ConsentRecord).granted === 'boolean';
}
