/**
 * The folder sessions worth asking the service about: one per destination and model set. Folders
 * that share them would only repeat the same calls (Test Connection, Detect Quotas).
 */
import type { ChorusConfig } from '../../core/config/types';
import type { FolderSession } from '../host/folderSession';

export function sessionsPerDestination(sessions: readonly FolderSession[]): (FolderSession & { config: ChorusConfig })[] {
  const seen = new Set<string>();
  const out: (FolderSession & { config: ChorusConfig })[] = [];
  for (const session of sessions) {
    const config = session.config;
    if (!config) continue;
    const key = JSON.stringify([config.endpoint, config.region, config.profile, config.models.map((m) => m.id)]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(session as FolderSession & { config: ChorusConfig });
  }
  return out;
}
