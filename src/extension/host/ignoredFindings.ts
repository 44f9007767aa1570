/**
 * Findings the user chose to ignore, by fingerprint (stable across line shifts), per workspace.
 * Kept in workspaceState: ignoring is a personal choice, unlike the team's baseline file.
 */
import type * as vscode from 'vscode';

const KEY = 'chorus.ignoredFingerprints.v1';

export class IgnoredFindings {
  private readonly fingerprints: Set<string>;

  constructor(private readonly state: vscode.Memento) {
    this.fingerprints = new Set(state.get<string[]>(KEY, []));
  }

  has(fingerprint: string): boolean {
    return this.fingerprints.has(fingerprint);
  }

  async add(fingerprint: string): Promise<void> {
    this.fingerprints.add(fingerprint);
    await this.state.update(KEY, [...this.fingerprints]);
  }

  get size(): number {
    return this.fingerprints.size;
  }

  async clear(): Promise<void> {
    this.fingerprints.clear();
    await this.state.update(KEY, []);
  }
}
