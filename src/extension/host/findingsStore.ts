/**
 * The last findings of each file, persisted in workspace storage, so that reopening VS Code shows
 * them again without spending a token. A file changed since (size or mtime differ) is not restored:
 * its findings could point at the wrong lines, and the next save or run brings fresh ones.
 */
import * as vscode from 'vscode';
import type { Finding } from '../../core/types';

interface StoredFile {
  uri: string;
  size: number;
  mtime: number;
  findings: readonly Finding[];
}

export class FindingsStore {
  constructor(private readonly storageDir: vscode.Uri | undefined) {}

  async save(folder: vscode.WorkspaceFolder, byUri: ReadonlyMap<string, readonly Finding[]>): Promise<void> {
    if (!this.storageDir) return;
    const files: StoredFile[] = [];
    for (const [uri, findings] of byUri) {
      try {
        const stat = await vscode.workspace.fs.stat(vscode.Uri.parse(uri));
        files.push({ uri, size: stat.size, mtime: stat.mtime, findings });
      } catch {
        // Deleted meanwhile: nothing to restore.
      }
    }
    await vscode.workspace.fs.createDirectory(this.storageDir);
    await vscode.workspace.fs.writeFile(this.fileFor(folder), new TextEncoder().encode(JSON.stringify({ version: 1, files })));
  }

  async load(folder: vscode.WorkspaceFolder): Promise<Map<vscode.Uri, readonly Finding[]>> {
    const out = new Map<vscode.Uri, readonly Finding[]>();
    if (!this.storageDir) return out;
    let stored: { version?: number; files?: StoredFile[] };
    try {
      stored = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(this.fileFor(folder)))) as typeof stored;
    } catch {
      return out;
    }
    if (stored.version !== 1 || !Array.isArray(stored.files)) return out;
    for (const file of stored.files) {
      const uri = vscode.Uri.parse(file.uri);
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size === file.size && stat.mtime === file.mtime) out.set(uri, file.findings);
      } catch {
        // Gone since: nothing to show.
      }
    }
    return out;
  }

  async clear(folder: vscode.WorkspaceFolder): Promise<void> {
    if (!this.storageDir) return;
    try {
      await vscode.workspace.fs.delete(this.fileFor(folder));
    } catch {
      // Nothing stored.
    }
  }

  private fileFor(folder: vscode.WorkspaceFolder): vscode.Uri {
    return vscode.Uri.joinPath(this.storageDir!, `findings-${folder.index}-${safeName(folder.name)}.json`);
  }
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').slice(0, 60);
}
