/**
 * "Chorus: Detect Quotas": the account's applied Bedrock quotas (tokens and requests per minute, tokens per day) of
 * each folder's models, read through Service Quotas, in a QuickPick beside the configured values,
 * with an action that writes the account's tokens per minute into the user's `chorus.models`
 * setting (user scope: a workspace file would share one account's quotas with everyone).
 */
import * as vscode from 'vscode';
import type { ChorusConfig } from '../../core/config/types';
import { readAccountQuotas, type AccountModelQuota } from '../../core/quotas/account';
import { writeAccountQuotas } from '../../core/quotas/write';
import type { Controller } from '../host/controller';
import { sessionsPerDestination } from './destinations';

const n = (v: number | undefined) => (v === undefined ? '—' : v.toLocaleString('en-US'));

interface QuotaItem extends vscode.QuickPickItem {
  write?: true;
}

function itemsFor(config: ChorusConfig, quotas: readonly AccountModelQuota[], label: (id: string) => string): QuotaItem[] {
  return config.models.map((m) => {
    const q = quotas.find((x) => x.modelId === m.id);
    const configured = m.tokensPerMinuteFromAccount ? `not configured (default ${n(m.tokensPerMinute)})` : n(m.tokensPerMinute);
    return {
      label: label(m.id),
      description: `account ${n(q?.tokensPerMinute?.value)} tokens/min · ${n(q?.requestsPerMinute?.value)} requests/min · ${n(q?.tokensPerDay?.value)} tokens/day`,
      detail: `${m.id} — configured ${configured}${q?.missing ? ` — ${q.missing}` : ''}${q?.tokensPerMinute?.code ? ` — ${q.tokensPerMinute.code}` : ''}`,
    };
  });
}

export async function detectQuotas(controller: Controller): Promise<void> {
  const items: QuotaItem[] = [];
  const all: AccountModelQuota[] = [];
  const errors: string[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Chorus: reading the account quotas…', cancellable: true }, async (_p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    const sessions = sessionsPerDestination(controller.allSessions);
    for (const session of sessions) {
      const config = session.config;
      try {
        const quotas = await readAccountQuotas(
          { region: config.region, ...(config.profile ? { profile: config.profile } : {}), ...(config.endpoint ? { endpoint: config.endpoint } : {}) },
          config.models.map((m) => m.id), abort.signal,
        );
        all.push(...quotas);
        if (sessions.length > 1) items.push({ label: session.folder.name, kind: vscode.QuickPickItemKind.Separator });
        items.push(...itemsFor(config, quotas, (id) => controller.modelLabel(id)));
      } catch (err) {
        const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        errors.push(message);
        controller.log.error(`Detect quotas (${session.folder.name}): ${message}`);
      }
    }
  });
  if (items.length === 0) {
    const why = errors[0] ?? 'open a folder (and check the settings)';
    void vscode.window.showErrorMessage(`Chorus: could not read the account quotas — ${why}. Service Quotas needs the servicequotas:ListServiceQuotas permission.`, 'Open Log').then((c) => c && controller.log.show(true));
    return;
  }
  if (all.some((q) => (q.tokensPerMinute?.value ?? 0) > 0)) {
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: "$(save) Write the account's tokens per minute to my chorus.models setting", write: true });
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'Chorus: Bedrock quotas of this account', placeHolder: 'Configured and applied quotas', matchOnDetail: true });
  if (!pick?.write) return;
  const settings = vscode.workspace.getConfiguration('chorus');
  const inspected = settings.inspect<unknown[]>('models');
  const { models, changed } = writeAccountQuotas(inspected?.globalValue, all);
  if (changed.length === 0) {
    void vscode.window.showInformationMessage('Chorus: your chorus.models setting already has the account quotas.');
    return;
  }
  await settings.update('models', models, vscode.ConfigurationTarget.Global);
  const shadowed = inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  void vscode.window.showInformationMessage(
    `Chorus: wrote tokens per minute of ${changed.length} model(s) to your user chorus.models setting.${shadowed ? ' This workspace sets chorus.models itself, which takes precedence.' : ''}`,
  );
}
