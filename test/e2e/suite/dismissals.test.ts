/**
 * Dismissals that stay dismissed, in a real extension host against the emulator: Ignore this
 * finding / Ignore similar are written to the folder's .chorus/baseline.json (not to the code, not
 * to memory), a rerun does not bring them back, the file alone decides (rewritten from outside as a
 * `git pull` would, they follow it), Show Ignored Findings restores one, a fix's diagnostic goes at
 * once, Fix all fixes a rule's findings in one edit, and noise settings re-render without a run.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunningEmulator } from '../../../src/emulator';
import { activateChorus, chorusDiagnostics, codeOf, eventually, folder, setSettings, startChorusEmulator, writeWorkspaceFile } from './chorusHelpers';

const SOURCE = ['function run(input) {', '  return eval(input);', '}', 'if (a == b) run("1");', 'if (c == d) run("2");', '// TODO: tidy', ''].join('\n');

function baselinePath(): string {
  return join(folder().uri.fsPath, '.chorus', 'baseline.json');
}

function baselineText(): string {
  return existsSync(baselinePath()) ? readFileSync(baselinePath(), 'utf8') : '';
}

async function actionsFor(uri: vscode.Uri, rule: string): Promise<vscode.CodeAction[]> {
  const diagnostic = chorusDiagnostics(uri).find((d) => codeOf(d) === rule);
  assert.ok(diagnostic, `no ${rule} diagnostic among ${chorusDiagnostics(uri).map(codeOf).join(', ')}`);
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
}

async function run(action: vscode.CodeAction | undefined): Promise<void> {
  assert.ok(action, 'the code action is offered');
  if (action.edit) assert.equal(await vscode.workspace.applyEdit(action.edit), true);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...((action.command.arguments ?? []) as unknown[]));
}

const rules = (uri: vscode.Uri) => chorusDiagnostics(uri).map(codeOf).sort();

describe('Dismissals and noise control', function () {
  this.timeout(180_000);
  let emulator: RunningEmulator;
  let uri: vscode.Uri;

  before(async () => {
    emulator = await startChorusEmulator();
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await setSettings({ endpoint: emulator.url, askBeforeSending: false, 'watch.enabled': false, analyzeOnSave: false });
    await activateChorus();
    uri = writeWorkspaceFile('src/dismiss.js', SOURCE);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('chorus.analyzeFile');
    await eventually('the four findings', () => rules(uri).length === 4 && rules(uri));
  });

  after(async () => {
    await setSettings({ endpoint: undefined, askBeforeSending: undefined, 'watch.enabled': undefined, analyzeOnSave: undefined, minSeverity: undefined, maxFindingsPerFile: undefined, hiddenCategories: undefined });
    await emulator?.close();
  });

  it('Ignore this finding: gone at once, written to .chorus/baseline.json, and a rerun does not bring it back', async () => {
    assert.deepEqual(rules(uri), ['eqeqeq', 'eqeqeq', 'no-eval', 'todo-comment']);
    const actions = await actionsFor(uri, 'no-eval');
    await run(actions.find((a) => a.title === 'Ignore this finding (no-eval)'));
    await eventually('no-eval hidden', () => !rules(uri).includes('no-eval'));
    const entries = baselineText().split('\n').filter((l) => l.includes('"fingerprint"'));
    assert.equal(entries.length, 1, baselineText());
    assert.match(entries[0]!, /"file":"src\/dismiss\.js","ruleId":"no-eval","startLine":2/);
    assert.ok(!readFileSync(uri.fsPath, 'utf8').includes('chorus'), 'nothing was written into the code');

    const before = emulator.requests().length;
    await vscode.commands.executeCommand('chorus.analyzeFile');
    await vscode.commands.executeCommand('chorus.clearCache');
    await vscode.commands.executeCommand('chorus.analyzeFile');
    assert.ok(emulator.requests().length > before, 'the file was analyzed again');
    assert.deepEqual(rules(uri), ['eqeqeq', 'eqeqeq', 'todo-comment']);
  });

  it('the baseline file decides: rewritten from outside (a pull, another machine) the editor follows it', async () => {
    const kept = baselineText();
    writeFileSync(baselinePath(), JSON.stringify({ version: 1, createdAt: '2026-01-01T00:00:00.000Z', findings: [] }));
    await eventually('no-eval back once the file no longer holds it', () => rules(uri).includes('no-eval'));
    writeFileSync(baselinePath(), kept);
    await eventually('no-eval hidden again', () => !rules(uri).includes('no-eval'));
  });

  it('Show Ignored Findings lists the dismissal and restores the one picked', async () => {
    const shown = vscode.commands.executeCommand('chorus.showIgnoredFindings');
    let done = false;
    void shown.then(() => (done = true));
    // The pick opens once the baseline is read; Enter restores the highlighted (only) item.
    await eventually('the pick answered', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((r) => setTimeout(r, 200));
      return done;
    });
    await eventually('no-eval restored', () => rules(uri).includes('no-eval'));
    assert.equal(baselineText().split('\n').filter((l) => l.includes('"fingerprint"')).length, 0);
  });

  it('Ignore similar hides every finding of the rule in the file, kept as one entry', async () => {
    await run((await actionsFor(uri, 'eqeqeq')).find((a) => a.title === 'Ignore all eqeqeq findings in this file'));
    await eventually('both eqeqeq hidden', () => !rules(uri).includes('eqeqeq'));
    assert.match(baselineText(), /"ignoredRules": \[\n {4}\{"file":"src\/dismiss\.js","ruleId":"eqeqeq"\}\n {2}\]/);
    await vscode.commands.executeCommand('chorus.forgetIgnoredFindings');
    await eventually('eqeqeq back after Forget Ignored Findings', () => rules(uri).filter((r) => r === 'eqeqeq').length === 2);
  });

  it('Fix all of a rule: one edit, and the fixed diagnostics are gone at once (no save, no run)', async () => {
    const before = emulator.requests().length;
    const fixAll = (await actionsFor(uri, 'eqeqeq')).find((a) => a.title === 'Fix all 2 Chorus findings of eqeqeq in this file');
    await run(fixAll);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.lineAt(3).text, 'if (a === b) run("1");');
    assert.equal(doc.lineAt(4).text, 'if (c === d) run("2");');
    await eventually('eqeqeq gone', () => !rules(uri).includes('eqeqeq'));
    assert.deepEqual(rules(uri), ['no-eval', 'todo-comment']);
    assert.equal(emulator.requests().length, before, 'fixing asked the model again');
  });

  it('noise settings re-render without a run: minimum severity, categories, at most N per file', async () => {
    const before = emulator.requests().length;
    await setSettings({ minSeverity: 'warning' });
    await eventually('info hidden', () => rules(uri).join() === 'no-eval');
    await setSettings({ minSeverity: undefined, hiddenCategories: ['security'] });
    await eventually('security hidden', () => rules(uri).join() === 'todo-comment');
    await setSettings({ hiddenCategories: undefined, maxFindingsPerFile: 1 });
    await eventually('the most severe one kept', () => rules(uri).join() === 'no-eval');
    await setSettings({ maxFindingsPerFile: undefined });
    await eventually('all back', () => rules(uri).length === 2);
    assert.equal(emulator.requests().length, before);
  });

  it('repository rules: .chorus/rules.json quiets a rule per path at once; AGENTS.md reaches the next prompt', async () => {
    writeWorkspaceFile('AGENTS.md', 'Team rule: money is in cents.\n');
    writeWorkspaceFile('.chorus/rules.json', JSON.stringify({ paths: [{ files: 'src/**', severity: { 'todo-comment': 'off' } }] }));
    await eventually('todo-comment turned off by the rules file', () => rules(uri).join() === 'no-eval');
    const seq = emulator.requests().at(-1)?.seq ?? 0;
    await vscode.commands.executeCommand('chorus.clearCache');
    await vscode.commands.executeCommand('chorus.analyzeFile');
    const prompts = emulator.requests({ includeBodies: true }).filter((r) => r.seq > seq).map((r) => r.prompt ?? '');
    assert.ok(prompts.length > 0, 'the file was analyzed again');
    assert.ok(prompts.every((p) => p.includes('Repository conventions (from AGENTS.md, .chorus/rules.json)') && p.includes('money is in cents')), prompts[0]?.slice(0, 400));
    assert.ok(prompts.every((p) => !p.includes('<<<CHORUS FILE path=".chorus/')), '.chorus/ files are never analyzed');
  });
});
