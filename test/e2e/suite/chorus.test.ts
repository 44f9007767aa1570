/**
 * Chorus inside a real VS Code extension host, against the emulator started in the same process:
 * diagnostics mapping, settings applied without a reload, code actions, stale results, deleted
 * files, and bursts from outside the editor coalesced into one run.
 */
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import { defaultEmulatorConfig, type RunningEmulator } from '../../../src/emulator';
import {
  activateChorus, chorusDiagnostics, codeOf, eventually, folder, sentFiles, setSettings, startChorusEmulator, writeWorkspaceFile,
} from './chorusHelpers';

/** Distinct text per file and run: the result cache (by content hash) must not answer for the emulator. */
function sample(tag: string): string {
  return ['// sample', 'function run(input) {', '  return eval(input);', '}', 'if (a == b) run("1");', `// ${tag} ${Date.now()}`, ''].join('\n');
}
const MODEL_LABELS = /^\[emulator\] .*\((Nova Pro|Llama 3\.3 70B|Nova Lite)\)$/s;

describe('Chorus in the extension host', function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startChorusEmulator();
    // The stale-result tests edit without saving; an auto-save would turn each edit into a run.
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await setSettings({ endpoint: emulator.url, askBeforeSending: false, 'watch.enabled': false, 'watch.quietMs': 300, 'watch.maxWaitMs': 3000 });
    const api = await activateChorus();
    console.log(`Chorus activate() took ${api.activationMs.toFixed(1)} ms`);
  });

  after(async () => {
    await setSettings({ endpoint: undefined, askBeforeSending: undefined, 'watch.enabled': undefined, 'watch.quietMs': undefined, 'watch.maxWaitMs': undefined, severity: undefined, models: undefined });
    await emulator?.close();
  });

  it('activates, returning how long activate() took', async () => {
    const api = await activateChorus();
    assert.equal(typeof api.activationMs, 'number');
  });

  it('maps findings to diagnostics: right lines, source, code, severity, model in the message', async () => {
    const uri = writeWorkspaceFile('src/mapping.js', sample('src/mapping.js'));
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('chorus.analyzeFile');
    const diagnostics = await eventually('Chorus diagnostics on src/mapping.js', () => chorusDiagnostics(uri).length >= 2 && chorusDiagnostics(uri));
    const evalDiag = diagnostics.find((d) => codeOf(d) === 'no-eval');
    const eqDiag = diagnostics.find((d) => codeOf(d) === 'eqeqeq');
    assert.ok(evalDiag && eqDiag, `expected no-eval and eqeqeq, got ${diagnostics.map(codeOf).join(', ')}`);
    // Exact range: the snippet the model names (`eval(input)`), not the whole line; the rule linked.
    assert.equal(evalDiag.range.start.line, 2);
    assert.equal(evalDiag.range.start.character, '  return '.length);
    assert.equal(evalDiag.range.end.character, '  return eval(input)'.length);
    assert.equal(typeof evalDiag.code === 'object' ? String(evalDiag.code.target) : '', 'https://cwe.mitre.org/data/definitions/95.html');
    assert.equal(evalDiag.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(eqDiag.range.start.line, 4);
    assert.equal(eqDiag.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(evalDiag.message, MODEL_LABELS);
  });

  it('applies a changed severity mapping without a reload', async () => {
    const uri = vscode.Uri.joinPath(folder().uri, 'src/mapping.js');
    await setSettings({ severity: { error: 'error', warning: 'hint', info: 'information' } });
    await eventually('eqeqeq shown as a hint', () => chorusDiagnostics(uri).find((d) => codeOf(d) === 'eqeqeq')?.severity === vscode.DiagnosticSeverity.Hint);
    await setSettings({ severity: { error: 'error', warning: 'off', info: 'information' } });
    await eventually('eqeqeq hidden', () => !chorusDiagnostics(uri).some((d) => codeOf(d) === 'eqeqeq'));
    await setSettings({ severity: undefined });
    await eventually('eqeqeq back as a warning', () => chorusDiagnostics(uri).find((d) => codeOf(d) === 'eqeqeq')?.severity === vscode.DiagnosticSeverity.Warning);
  });

  it('offers code actions: apply the suggestion, re-analyze with another model, ignore', async () => {
    const uri = vscode.Uri.joinPath(folder().uri, 'src/mapping.js');
    const eqDiag = chorusDiagnostics(uri).find((d) => codeOf(d) === 'eqeqeq')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, eqDiag.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    const apply = actions.find((a) => a.title.startsWith('Apply suggestion'));
    assert.ok(apply?.edit, `no apply action among ${titles.join(' | ')}`);
    assert.ok(titles.includes('Re-analyze this file with another model…'));
    assert.ok(titles.some((t) => t.startsWith('Ignore this finding')));

    assert.equal(await vscode.workspace.applyEdit(apply.edit), true);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.lineAt(4).text, 'if (a === b) run("1");');

    const evalDiag = chorusDiagnostics(uri).find((d) => codeOf(d) === 'no-eval')!;
    const evalActions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, evalDiag.range, vscode.CodeActionKind.QuickFix.value);
    const ignore = evalActions.find((a) => a.title.startsWith('Ignore this finding'))!;
    await vscode.commands.executeCommand(ignore.command!.command, ...((ignore.command!.arguments ?? []) as unknown[]));
    await eventually('the ignored finding gone', () => !chorusDiagnostics(uri).some((d) => codeOf(d) === 'no-eval'));
    await doc.save();
    // Re-analysis of the saved file: the ignored finding stays hidden (remembered by fingerprint).
    await vscode.commands.executeCommand('chorus.analyzeFile');
    assert.equal(chorusDiagnostics(uri).some((d) => codeOf(d) === 'no-eval'), false);
    await vscode.commands.executeCommand('chorus.forgetIgnoredFindings');
    await eventually('the finding back after forgetting ignores', () => chorusDiagnostics(uri).some((d) => codeOf(d) === 'no-eval'));
  });

  it('clears the diagnostics of a deleted file', async () => {
    const uri = writeWorkspaceFile('src/doomed.js', sample('src/doomed.js'));
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('chorus.analyzeFile');
    await eventually('diagnostics on doomed.js', () => chorusDiagnostics(uri).length > 0);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    rmSync(uri.fsPath);
    await eventually('diagnostics of the deleted file cleared', () => chorusDiagnostics(uri).length === 0);
  });

  it('never shows results for a document version that changed while the run was in flight', async function () {
    // A slow emulator (each answer takes 15 s) leaves time to type while the request is out, even
    // on a busy machine where a save takes seconds to reach the extension host.
    this.timeout(300_000);
    const slow = await startChorusEmulator({ models: defaultEmulatorConfig().models.map((m) => ({ ...m, firstTokenMs: 15_000 })) }, 1);
    await setSettings({ endpoint: slow.url });
    try {
      await staleScenario(slow);
    } finally {
      await setSettings({ endpoint: emulator.url });
      await slow.close();
    }
  });

  async function staleScenario(slow: RunningEmulator): Promise<void> {
    const uri = writeWorkspaceFile('src/stale.js', sample('src/stale.js'));
    const editor = await vscode.window.showTextDocument(uri);
    const run = vscode.commands.executeCommand('chorus.analyzeFile');
    // As soon as the request is on its way, the user types: the result is for an older version.
    await eventually('the request for stale.js', () => slow.requests().some((r) => r.files.includes('src/stale.js')), 90_000);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// edited\n'));
    await run;
    assert.ok(slow.requests().some((r) => r.files.includes('src/stale.js') && r.outcome === 'ok'), 'the old version was analyzed');
    assert.deepEqual(chorusDiagnostics(uri), [], 'results of the old version were shown');
    // The newest version, once analyzed, does show.
    await vscode.commands.executeCommand('chorus.analyzeFile');
    const diagnostics = await eventually('diagnostics for the new version', () => chorusDiagnostics(uri).length > 0 && chorusDiagnostics(uri));
    assert.equal(diagnostics.find((d) => codeOf(d) === 'no-eval')?.range.start.line, 3, 'lines of the edited text');
    await vscode.commands.executeCommand('workbench.action.files.revert');

    // Saved again while the first save's request is still out: that request is aborted, and only
    // the newest version's findings show.
    const file = 'src/superseded.js';
    const other = writeWorkspaceFile(file, sample(file));
    const otherEditor = await vscode.window.showTextDocument(other);
    const before = slow.requests().length;
    await otherEditor.edit((b) => b.insert(new vscode.Position(0, 0), '// v1\n'));
    await otherEditor.document.save();
    const first = await eventually('the first save\'s request', () => slow.requests({ since: before }).find((r) => r.files.includes(file)), 90_000);
    await otherEditor.edit((b) => b.insert(new vscode.Position(0, 0), '// v2\n'));
    await otherEditor.document.save();
    await eventually('diagnostics of the newest version', () => chorusDiagnostics(other).find((d) => codeOf(d) === 'no-eval')?.range.start.line === 4, 90_000);
    const outcome = await eventually('the first request to end', () => slow.requests({ since: first.seq - 1 })[0]?.outcome !== 'pending' && slow.requests({ since: first.seq - 1 })[0]!.outcome);
    assert.equal(outcome, 'aborted', 'the superseded request was not aborted');
  }

  it('re-creates the engine when the models setting changes, without a reload', async () => {
    const uri = writeWorkspaceFile('src/models.js', sample('src/models.js'));
    await setSettings({ models: [{ id: 'us.amazon.nova-lite-v1:0' }] });
    await vscode.window.showTextDocument(uri);
    const since = emulator.requests().length;
    await vscode.commands.executeCommand('chorus.analyzeFile');
    await eventually('diagnostics from Nova Lite', () => chorusDiagnostics(uri).some((d) => d.message.endsWith('(Nova Lite)')));
    const models = new Set(emulator.requests({ since }).filter((r) => r.files.includes('src/models.js')).map((r) => r.model));
    assert.deepEqual([...models], ['us.amazon.nova-lite-v1:0']);
    await setSettings({ models: undefined });
  });

  it('coalesces a burst of outside changes into one background run, each file sent once', async () => {
    await setSettings({ 'watch.enabled': true });
    await new Promise((r) => setTimeout(r, 1000)); // the watcher reads the setting when events arrive
    const since = emulator.requests().length;
    const paths = Array.from({ length: 20 }, (_, i) => `burst/file${i}.js`);
    // Each file written twice: the second content is the one that must be analyzed.
    for (const p of paths) writeWorkspaceFile(p, '// first version\n');
    for (const p of paths) writeWorkspaceFile(p, `// newest\nconst x = eval("${p} ${Date.now()}");\n`);
    await eventually('diagnostics on every burst file', () =>
      paths.every((p) => chorusDiagnostics(vscode.Uri.joinPath(folder().uri, p)).some((d) => codeOf(d) === 'no-eval' && d.range.start.line === 1)),
    );
    const counts = sentFiles(emulator, since);
    for (const p of paths) assert.equal(counts.get(p), 1, `${p} analyzed ${counts.get(p) ?? 0} times`);
    await setSettings({ 'watch.enabled': false });
  });

  it('clears every finding on "Clear Findings"', async () => {
    await vscode.commands.executeCommand('chorus.clearFindings');
    const left = vscode.languages.getDiagnostics().flatMap(([, ds]) => ds.filter((d) => d.source === 'Chorus'));
    assert.deepEqual(left, []);
  });
});
