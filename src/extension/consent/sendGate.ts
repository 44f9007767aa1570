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
  /** A save that does nothing because of "Don't Allow" says so once per window, not once per save. */
  private toldDeclined = false;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    /** The consent changed (asked, forgotten): the status bar looks again. */
    private readonly onChange: () => void = () => {},
  ) {}

  /** Where sending was declined for this workspace, for the status bar; undefined when it was not. */
  declinedDestination(config: Pick<ChorusConfig, 'endpoint' | 'region'>): string | undefined {
    const destination = destinationOf(config);
    return consentState(this.state.get(CONSENT_KEY), destination) === 'declined' ? destination : undefined;
  }

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
      if (!this.toldDeclined) {
        this.toldDeclined = true;
        void this.tellDeclined(config, destination);
      }
      return false;
    }
    this.pending ??= this.ask(config, destination).finally(() => (this.pending = undefined));
    return this.pending;
  }

  async forget(): Promise<void> {
    await this.state.update(CONSENT_KEY, undefined);
    this.toldDeclined = false;
    this.onChange();
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
    this.toldDeclined = false;
    this.onChange();
    return record.granted;
  }

  private async tellDeclined(config: ChorusConfig, destination: string): Promise<void> {
    const askAgain = 'Ask Again';
    const choice = await vscode.window.showInformationMessage(
      `Chorus is not analyzing saved files: you chose "${DENY}" for sending code to ${destination}.`,
      askAgain,
    );
    if (choice === askAgain) await this.mayRun(config, true);
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
