/**
 * The single door code passes before leaving the machine: workspace trust first (an untrusted
 * workspace sends nothing, and the user is told why), then consent for this destination.
 * Concurrent triggers share one prompt; a declined consent stays declined for automatic triggers,
 * while an explicit command asks again.
 */
import * as vscode from 'vscode';
import type { ChorusConfig } from '../../core/config/types';
import { CONSENT_KEY, consentPrompt, consentState, destinationOf, type ConsentRecord } from './consentRecord';

const ALLOW = 'Allow';
const DENY = "Don't Allow";

export class SendGate {
  private pending: Promise<boolean> | undefined;
  private toldUntrusted = false;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** `explicit`: the user asked for this run (a command), as opposed to a save or a file watcher. */
  async mayRun(config: ChorusConfig, explicit: boolean): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      this.log.info('Not analyzing: the workspace is not trusted, so no code is sent.');
      if (explicit || !this.toldUntrusted) {
        this.toldUntrusted = true;
        void this.tellUntrusted();
      }
      return false;
    }
    // Machine level only: a workspace must not be able to skip the question.
    if (vscode.workspace.getConfiguration('chorus').inspect<boolean>('askBeforeSending')?.globalValue === false) return true;
    const destination = destinationOf(config);
    const state = consentState(this.state.get(CONSENT_KEY), destination);
    if (state === 'granted') return true;
    if (state === 'declined' && !explicit) {
      this.log.debug(`Not analyzing: sending code to ${destination} was declined for this workspace.`);
      return false;
    }
    this.pending ??= this.ask(config, destination).finally(() => (this.pending = undefined));
    return this.pending;
  }

  async forget(): Promise<void> {
    await this.state.update(CONSENT_KEY, undefined);
  }

  private async ask(config: ChorusConfig, destination: string): Promise<boolean> {
    const name = vscode.workspace.name ?? 'this workspace';
    const answer = await vscode.window.showInformationMessage(
      'Send code to analyze it?',
      { modal: true, detail: consentPrompt(name, config) },
      ALLOW,
      DENY,
    );
    // Closing the dialog is not an answer: nothing is sent, and the next trigger asks again.
    if (answer === undefined) return false;
    const record: ConsentRecord = { destination, granted: answer === ALLOW, at: new Date().toISOString() };
    await this.state.update(CONSENT_KEY, record);
    this.log.info(`Consent to send code to ${destination}: ${record.granted ? 'granted' : 'declined'}`);
    return record.granted;
  }

  private async tellUntrusted(): Promise<void> {
    const manage = 'Manage Workspace Trust';
    const choice = await vscode.window.showInformationMessage(
      'Chorus does not send code from an untrusted workspace. Trust this workspace to analyze it.',
      manage,
    );
    if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  }
}
