/**
 * A confused model (or a gateway in between). Through the CLI against the hostile stand-in: usage
 * that is missing, zero, negative or not a number cannot defeat `--max-tokens`; only the offered
 * tool's one call is findings; a well-formed answer cut at max_tokens is said to be partial; parse
 * errors never quote the model's text; findings are capped per file and in size. Then, through the
 * engine against the emulator's stop-reason faults: context window exceeded, malformed tool use or
 * output, content filtered, guardrail intervened.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../../src/core/config';
import { FINDINGS_LIMITS, parseBatchPrompt } from '../../src/core/contract';
import type { AnalyzeResult } from '../../src/core/engine';
import { estimatePromptTokens, maxOutputCap } from '../../src/core/plan/estimate';
import { PRIOR_RATIO } from '../../src/core/schedule/calibration';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import type { EmulatorFault, RunningEmulator } from '../../src/emulator';
import { STOP_REASON_FAULT_KINDS } from '../../src/emulator/config';
import { STOP_REASON_OF } from '../../src/emulator/faults';
import { client, findingsRequest, SAMPLE_FILES } from '../integration/emulator/helpers';
import { cliEnv, parseReport, runChorus, tempDir, writeTree, type CliRun } from '../integration/cli/helpers';
import { assertAccounted, assertNoDuplicateFindings, engineFor, LLAMA, NOVA, useEmulatorSuite, tempDir as relTempDir, writeTree as relWriteTree } from './helpers';
import { converseBody, promptText, startHostileBedrock, type HostileBedrock, type HostileCall, type Script } from './hostileBedrock';

interface CallBody {
  system?: { text?: string }[];
  inferenceConfig?: { maxTokens?: number };
}

/** What Chorus reserved for a call: our input estimate of what it sent plus the cap it asked for. */
/**
 * What the scheduler reserved for a call: its input as the model is assumed to count it (no answer
 * with a believable count ever arrives here, so the calibration's prior) plus the output cap.
 */
function reservationOf(call: HostileCall): number {
  const body = call.body as CallBody;
  const system = (body.system ?? []).map((s) => s.text ?? '').join('\n');
  return Math.ceil(estimatePromptTokens(system, promptText(call)) * PRIOR_RATIO) + (body.inferenceConfig?.maxTokens ?? 0);
}

const maxTokensOf = (call: HostileCall) => (call.body as CallBody).inferenceConfig?.maxTokens ?? 0;

/** Honest usage for a call: our own estimate of its input, and `output` tokens. */
function honestUsage(call: HostileCall, output: number): { inputTokens: number; outputTokens: number } {
  const body = call.body as CallBody;
  const system = (body.system ?? []).map((s) => s.text ?? '').join('\n');
  return { inputTokens: estimatePromptTokens(system, promptText(call)), outputTokens: output };
}

/** One finding on line 1 of every file of the call's batch. */
function findingsFor(call: HostileCall, message = 'loose equality'): unknown[] {
  return parseBatchPrompt(promptText(call)).map((f) => ({ file: f.path, startLine: 1, endLine: 1, severity: 'warning', ruleId: 'eqeqeq', message }));
}

/** Eight files in eight folders, each ~700 bytes: with maxKbPerBatch 1, one file per batch. */
function eightFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 8; i++) files[`m${i}/mod.js`] = Array.from({ length: 20 }, (_, l) => `export const v${l} = compute(${i}, ${l}); // line ${l}`).join('\n') + '\n';
  return files;
}

describe('a confused model (CLI against the hostile stand-in)', function () {
  this.timeout(180_000);
  let server: HostileBedrock;
  let script: Script = () => ({ json: converseBody({ toolInput: { findings: [] } }) });
  const dirs: string[] = [];
  const dir = (path: string) => (dirs.push(path), path);
  let configDir: string;

  /** A config outside the analyzed tree (the CI's own): only `models`, one file per batch. */
  function configFor(models: string[], extra: Record<string, unknown> = {}): string {
    const path = join(configDir, `chorus-${models.length}-${randomBytes(3).toString('hex')}.json`);
    const defaults = defaultConfig().models;
    // Explicit quotas (the marker for "take the account's" is the parser's, not a config field).
    const entries = models.map((id) => {
      const { tokensPerMinuteFromAccount: _fromAccount, ...model } = defaults.find((m) => m.id === id)!;
      return { ...model, maxKbPerBatch: 1, ...extra };
    });
    writeFileSync(path, JSON.stringify({ models: entries }));
    return path;
  }

  async function analyze(files: Record<string, string>, models: string[], args: string[] = [], format = 'json', env?: Record<string, string>): Promise<CliRun> {
    const root = dir(writeTree(tempDir('confused'), files));
    return runChorus(['analyze', root, '--endpoint', server.url, '--region', 'us-east-1', '--config', configFor(models), '--no-cache', '--format', format, ...args], cliEnv(dir(tempDir('cache')), env));
  }

  before(async () => {
    server = await startHostileBedrock((call, i) => script(call, i));
    configDir = dir(tempDir('config'));
  });
  after(async () => {
    await server.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  beforeEach(() => (server.calls.length = 0));

  const broken: [string, unknown][] = [
    ['missing', null],
    ['zero', { inputTokens: 0, outputTokens: 0, totalTokens: 0 }],
    ['negative', { inputTokens: -16_000_000, outputTokens: -5, totalTokens: -16_000_005 }],
    ['non-numeric', { inputTokens: 'lots', outputTokens: 'few' }],
  ];
  for (const [name, usage] of broken) {
    it(`usage ${name}: --max-tokens 3000 sends no more than the budget allows, counted at the reservation`, async () => {
      script = () => ({ json: converseBody({ toolInput: { findings: [] }, usage: usage as never }) });
      const run = await analyze(eightFiles(), [NOVA], ['--max-tokens', '3000']);
      const report = parseReport(run);
      const reserved = server.calls.map(reservationOf);
      assert.ok(server.calls.length >= 1, 'something was sent');
      assert.ok(reserved.reduce((s, n) => s + n, 0) <= 3000, `charged at the reservation, within the budget: ${reserved.join(' + ')}`);
      assert.ok(server.calls.length < 8, `the budget stopped the run: ${server.calls.length} requests for 8 batches`);
      const skipped = report.files.filter((f) => f.status === 'skipped');
      assert.equal(skipped.length + report.files.filter((f) => f.status === 'analyzed').length, 8, JSON.stringify(report.files));
      assert.ok(skipped.every((f) => /token budget reached/.test(f.reason ?? '')), JSON.stringify(skipped));
      const nova = report.models.find((m) => m.id === NOVA)! as (typeof report.models)[number] & { usageEstimated: number };
      assert.equal(nova.usageEstimated, server.calls.length, 'every call says its usage was estimated');
      assert.equal(nova.inputTokens + nova.outputTokens, reserved.reduce((s, n) => s + n, 0), 'the report counts the reservations');
      for (const m of report.models) assert.ok(m.inputTokens >= 0 && m.outputTokens >= 0, `no negative totals: ${JSON.stringify(m)}`);
    });
  }

  it('honest usage is charged as reported and nothing is marked estimated', async () => {
    script = (call) => ({ json: converseBody({ toolInput: { findings: [] }, usage: honestUsage(call, 40) }) });
    const report = parseReport(await analyze(eightFiles(), [NOVA]));
    const nova = report.models.find((m) => m.id === NOVA)! as (typeof report.models)[number] & { usageEstimated: number };
    assert.equal(nova.usageEstimated, 0);
    assert.equal(nova.outputTokens, 40 * server.calls.length);
    assert.ok(report.files.every((f) => f.status === 'analyzed'));
  });

  it('a call to a tool Chorus never offered, or several tool calls, is not findings', async () => {
    for (const answer of ['foreign', 'several'] as const) {
      server.calls.length = 0;
      script = (call) => {
        const input = { findings: findingsFor(call) };
        if (answer === 'foreign') return { json: converseBody({ toolInput: input, toolName: 'run_shell', usage: honestUsage(call, 20) }) };
        const body = converseBody({ toolInput: input, usage: honestUsage(call, 20) }) as { output: { message: { content: unknown[] } } };
        body.output.message.content.push({ toolUse: { toolUseId: 'second', name: 'report_findings', input } });
        return { json: body };
      };
      const run = await analyze(eightFiles(), [NOVA]);
      assert.equal(run.code, 3, `every file failed: ${run.stderr}`);
      const report = parseReport(run);
      assert.equal(report.files.flatMap((f) => f.findings).length, 0, 'no finding shown');
      for (const f of report.files) assert.match(f.reason ?? '', answer === 'foreign' ? /not findings: a call to a tool Chorus did not offer/ : /not findings: 2 tool calls/);
      assert.ok(!`${run.stdout}${run.stderr}`.includes('run_shell'), 'the name the model chose is not echoed');
      assert.equal(server.calls.length, 16, 'each batch asked once more, then failed');
    }
  });

  it('findings JSON in text: accepted from Llama (toolChoice auto), refused when the tool was forced (Nova)', async () => {
    script = (call) => ({ json: converseBody({ text: `Here:\n${JSON.stringify({ findings: findingsFor(call) })}`, usage: honestUsage(call, 30) }) });
    const llama = parseReport(await analyze(eightFiles(), [LLAMA]));
    assert.ok(llama.files.every((f) => f.status === 'analyzed' && f.findings.length === 1), JSON.stringify(llama.files.map((f) => [f.status, f.reason])));
    const forcedRun = await analyze(eightFiles(), [NOVA]);
    assert.ok(server.calls.some((c) => JSON.stringify((c.body as { toolConfig?: unknown }).toolConfig).includes('"tool":{"name"')), 'Nova was forced');
    const nova = parseReport(forcedRun);
    assert.ok(nova.files.every((f) => f.status === 'failed' && /required to call/.test(f.reason ?? '')), JSON.stringify(nova.files.map((f) => f.reason)));
  });

  it('a well-formed answer cut at max_tokens: the cap grows within the model limit, then the file is partially analyzed', async () => {
    script = (call) => ({ json: converseBody({ toolInput: { findings: findingsFor(call) }, stopReason: 'max_tokens', usage: honestUsage(call, maxTokensOf(call)) }) });
    const files = { 'one/a.js': 'if (a == b) run();\n' };
    const run = await analyze(files, [NOVA]);
    assert.equal(run.code, 0, run.stderr);
    const caps = server.calls.map(maxTokensOf);
    const limit = maxOutputCap(defaultConfig().models.find((m) => m.id === NOVA)!);
    assert.ok(caps.length >= 2 && caps.every((c, i) => i === 0 || c > caps[i - 1]!), `the cap grew: ${caps.join(', ')}`);
    assert.equal(caps.at(-1), limit, 'up to the model limit, never above');
    const [file] = parseReport(run).files as { status: string; partial?: string; findings: unknown[] }[];
    assert.equal(file!.status, 'analyzed');
    assert.equal(file!.findings.length, 1, 'what the model did say is kept');
    assert.match(file!.partial ?? '', /max_tokens/);
    const sarif = JSON.parse((await analyze(files, [NOVA], [], 'sarif')).stdout) as { runs: { invocations: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] };
    const notes = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications;
    assert.ok(notes.some((n) => n.level === 'warning' && /partially analyzed: .*max_tokens/.test(n.message.text)), JSON.stringify(notes));
    const text = await analyze(files, [NOVA], [], 'text');
    assert.match(text.stdout, /Partially analyzed\n {2}one\/a\.js: .*max_tokens/);
  });

  it('parse and schema errors never quote the model text (it may be the user code), in the report or the log', async () => {
    const marker = `SECRET-${randomBytes(8).toString('hex')}`;
    script = (call) => ({ json: converseBody({ text: `{"findings": [{"file": "m0/mod.js", const key = "${marker}"}]}`, usage: honestUsage(call, 30) }) });
    const llama = await analyze(eightFiles(), [LLAMA], ['--verbose']);
    assert.equal(llama.code, 3);
    assert.ok(!`${llama.stdout}${llama.stderr}`.includes(marker), 'the text is not quoted');
    assert.ok(parseReport(llama).files.every((f) => /SyntaxError (at position \d+ of|in) \d+ characters/.test(f.reason ?? '')), llama.stdout);
    script = (call) => ({ json: converseBody({ toolInput: { findings: [{ file: marker, startLine: marker, severity: marker }] }, usage: honestUsage(call, 30) }) });
    const nova = await analyze(eightFiles(), [NOVA], ['--verbose']);
    assert.equal(nova.code, 3);
    assert.ok(!`${nova.stdout}${nova.stderr}`.includes(marker), 'schema errors name the keyword, not the value');
    // A body that is not JSON at all: the SDK's deserializer error quotes it; the reason must not.
    script = () => ({ raw: `{"output": {"message": {"content": [{"text": "${marker}` });
    const mangled = await analyze(eightFiles(), [NOVA], ['--verbose']);
    assert.equal(mangled.code, 3);
    assert.ok(!`${mangled.stdout}${mangled.stderr}`.includes(marker), 'a body that does not parse is not quoted');
    assert.ok(parseReport(mangled).files.every((f) => /not valid JSON/.test(f.reason ?? '')), mangled.stdout);
  });

  it('100,000 findings for a 200-line file and a 2 MB suggestion: capped, and the file says what was cut', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `check(${i});`).join('\n') + '\n';
    script = (call) => {
      const base = { file: 'big/a.js', startLine: 1, endLine: 1, severity: 'warning' };
      const findings = [
        { ...base, ruleId: 'huge-fix', message: 'fix', suggestion: 'x'.repeat(2 * 1024 * 1024) },
        { ...base, ruleId: 'long-message', message: 'm'.repeat(50_000) },
        ...Array.from({ length: 100_000 }, (_, i) => ({ ...base, startLine: (i % 200) + 1, endLine: (i % 200) + 1, ruleId: `r${i % 997}`, message: `finding ${i}` })),
      ];
      return { json: converseBody({ toolInput: { findings }, usage: honestUsage(call, 500) }) };
    };
    // On real time: a 12 MB answer takes a loaded machine longer to write and read than the request
    // timeout lasts on the suite's 60× clock (2 s), which would fail the file for a reason not tested here.
    const run = await analyze({ 'big/a.js': lines }, [NOVA], [], 'json', { CHORUS_TIME_SCALE: '1' });
    assert.equal(run.code, 0, run.stderr.slice(0, 2000));
    assert.ok(run.stdout.length < 1024 * 1024, `the report stays small: ${run.stdout.length} bytes`);
    const [file] = parseReport(run).files as { status: string; partial?: string; findings: { message: string; suggestion?: string; ruleId: string }[] }[];
    assert.equal(file!.status, 'analyzed');
    assert.equal(file!.findings.length, FINDINGS_LIMITS.perFile);
    assert.ok(file!.findings.every((f) => f.message.length <= FINDINGS_LIMITS.messageChars && (f.suggestion?.length ?? 0) <= FINDINGS_LIMITS.suggestionChars));
    assert.equal(file!.findings.find((f) => f.ruleId === 'huge-fix')?.suggestion, undefined, 'the oversized fix is dropped, not cut');
    for (const said of [/over the cap of 200 per file were cut/, /past the cap of 1000 per answer were not read/, /1 message\(s\) shortened/, /1 suggestion\(s\) over 20000 characters dropped/]) {
      assert.match(file!.partial ?? '', said);
    }
  });
});

describe('stop reasons (engine against the emulator faults)', function () {
  this.timeout(120_000);
  const suite = useEmulatorSuite();

  /** Twelve small files in four folders, batches of a few files on both models. */
  async function analyzeUnder(faults: EmulatorFault[]): Promise<{ result: AnalyzeResult; paths: string[]; requests: ReturnType<RunningEmulator['requests']> }> {
    const files: Record<string, string> = {};
    for (const d of ['api', 'core', 'jobs', 'web']) for (let i = 0; i < 3; i++) files[`${d}/mod${i}.js`] = `export function run${i}(x) {\n  return eval(x);\n}\n`;
    const root = relWriteTree(relTempDir('stops'), files);
    suite.dirs.push(root);
    const seen = suite.emu.requests().length;
    suite.emu.setFaults(faults);
    const engine = engineFor(suite.emu.url, {}, { maxBatchInputTokens: 800 });
    const result = await engine.analyze({ root, lane: 'background', noCache: true }).finally(() => engine.dispose());
    suite.emu.setFaults([]);
    const paths = Object.keys(files);
    assertAccounted(result, paths);
    assertNoDuplicateFindings(result);
    return { result, paths, requests: suite.emu.requests().slice(seen) };
  }

  it('the emulator answers each stop-reason fault with its Converse stop reason, whole and streamed (real SDK)', async () => {
    const sdk = client(suite.emu.url, 'http/1.1', { accessKeyId: 'AKIDCHORUSTEST', secretAccessKey: 'chorus-test' });
    try {
      for (const kind of STOP_REASON_FAULT_KINDS) {
        suite.emu.setFaults([{ kind }]);
        const whole = await sdk.send(new ConverseCommand(findingsRequest(NOVA)));
        assert.equal(whole.stopReason, STOP_REASON_OF[kind], kind);
        const stream = await sdk.send(new ConverseStreamCommand(findingsRequest(NOVA)));
        let stop: string | undefined;
        for await (const event of stream.stream!) stop = event.messageStop?.stopReason ?? stop;
        assert.equal(stop, STOP_REASON_OF[kind], `${kind} (stream)`);
      }
      // A window that holds one file: a one-file request is answered as usual.
      suite.emu.setFaults([{ kind: 'context-window-multi-file' }]);
      const one = await sdk.send(new ConverseCommand(findingsRequest(NOVA, { files: [SAMPLE_FILES[0]!] })));
      assert.equal(one.stopReason, 'tool_use');
    } finally {
      suite.emu.setFaults([]);
      sdk.destroy();
    }
  });

  it('model_context_window_exceeded: the batch is split into halves until each fits, and every file is analyzed', async () => {
    const { result, requests } = await analyzeUnder([{ kind: 'context-window-multi-file' }]);
    assert.ok(result.files.every((f) => f.status === 'analyzed' && f.findings.some((x) => x.ruleId === 'no-eval')), JSON.stringify(result.files.map((f) => [f.path, f.status, f.reason])));
    assert.ok(requests.some((r) => r.files.length > 1 && r.stopReason === 'model_context_window_exceeded'), 'a batch of several files hit the window');
    assert.ok(requests.filter((r) => r.stopReason !== 'model_context_window_exceeded').every((r) => r.files.length === 1), 'only single files were answered');
    assert.ok(result.routing.some((r) => r.reasons.some((x) => /split into halves/.test(x))), 'the routing says why');
  });

  it('model_context_window_exceeded on a single file: it fails with that reason', async () => {
    const { result } = await analyzeUnder([{ kind: 'context-window' }]);
    for (const f of result.files) {
      assert.equal(f.status, 'failed');
      assert.match(f.reason!, /model_context_window_exceeded .*cannot be split further/);
    }
  });

  for (const [kind, stop] of [['malformed-tool-use', 'malformed_tool_use'], ['malformed-model-output', 'malformed_model_output']] as const) {
    it(`${stop}: asked once more, then the files fail with that reason`, async () => {
      const { result, paths, requests } = await analyzeUnder([{ kind }]);
      for (const f of result.files) {
        assert.equal(f.status, 'failed');
        assert.match(f.reason!, new RegExp(`stopped with ${stop}`));
      }
      for (const path of paths) assert.equal(requests.filter((r) => r.files.includes(path)).length, 2, `${path}: one retry`);
    });
  }

  for (const [kind, stop] of [['content-filtered', 'content_filtered'], ['guardrail-intervened', 'guardrail_intervened']] as const) {
    it(`${stop}: the files fail with that reason, without a retry`, async () => {
      const { result, paths, requests } = await analyzeUnder([{ kind }]);
      for (const f of result.files) {
        assert.equal(f.status, 'failed');
        assert.match(f.reason!, new RegExp(`blocked \\(${stop} from `));
      }
      for (const path of paths) assert.equal(requests.filter((r) => r.files.includes(path)).length, 1, `${path}: asked once`);
    });
  }
});
