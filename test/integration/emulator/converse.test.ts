import assert from 'node:assert/strict';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';
import { LLAMA, NOVA_PRO, client, findingsRequest, type Protocol } from './helpers';

describe('emulator: Converse through the real AWS SDK', function () {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ config: defaultEmulatorConfig(), timeScale: 600 });
  });
  after(() => emulator.close());

  for (const protocol of ['http/1.1', 'h2'] as const satisfies Protocol[]) {
    it(`answers a forced findings-tool call with a toolUse over ${protocol}`, async () => {
      const sdk = client(emulator.url, protocol);
      try {
        const out = await sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO)));
        assert.equal(out.stopReason, 'tool_use');
        const block = out.output?.message?.content?.[0];
        assert.ok(block?.toolUse, 'expected a toolUse block');
        assert.equal(block.toolUse.name, 'report_findings');
        const findings = (block.toolUse.input as { findings: { file: string; startLine: number; ruleId: string }[] }).findings;
        const got = findings.map((f) => `${f.file}:${f.startLine}:${f.ruleId}`);
        assert.deepEqual(got, [
          'src/app.ts:2:eqeqeq',
          'src/app.ts:3:no-eval',
          'src/app.ts:7:empty-catch',
          'src/app.ts:8:todo-comment',
          'lib/tool.py:13:bare-except',
          'lib/tool.py:13:empty-catch',
        ]);
        assert.ok(out.usage && out.usage.inputTokens! > 0 && out.usage.outputTokens! > 0);
        assert.equal(out.usage.totalTokens, out.usage.inputTokens! + out.usage.outputTokens!);
        assert.ok((out.metrics?.latencyMs ?? 0) >= 700, 'latency includes the first-token time');
        const record = emulator.requests().at(-1)!;
        assert.equal(record.protocol, protocol);
        assert.equal(record.outcome, 'ok');
        assert.deepEqual(record.files, ['src/app.ts', 'lib/tool.py']);
        assert.equal(record.inputTokens, out.usage.inputTokens);
        assert.equal(record.outputTokens, out.usage.outputTokens);
        assert.equal(record.reservedTokens, record.inputTokens + 2000);
      } finally {
        sdk.destroy();
      }
    });
  }

  it('answers a Llama-like model with the findings JSON in text under toolChoice auto', async () => {
    const sdk = client(emulator.url, 'http/1.1');
    try {
      const out = await sdk.send(new ConverseCommand(findingsRequest(LLAMA, { toolChoice: 'auto' })));
      assert.equal(out.stopReason, 'end_turn');
      const text = out.output?.message?.content?.[0]?.text ?? '';
      const parsed = JSON.parse(text) as { findings: unknown[] };
      assert.equal(parsed.findings.length, 6);
    } finally {
      sdk.destroy();
    }
  });

  it('calls the tool the request offers, by its name and into its list field, not by the engine constants', async () => {
    const sdk = client(emulator.url, 'http/1.1');
    try {
      const base = findingsRequest(NOVA_PRO);
      const issues = { type: 'object', properties: { summary: { type: 'string' }, issues: { type: 'array', items: { type: 'object' } } } };
      const other = { type: 'object', properties: { text: { type: 'string' } } };
      const tools = [
        { toolSpec: { name: 'say_hello', description: 'Greets.', inputSchema: { json: other } } },
        { toolSpec: { name: 'submit_review', description: 'Every issue.', inputSchema: { json: issues } } },
      ];
      // Forced: the named tool. Offered with auto: the tool whose input takes a list.
      for (const toolChoice of [{ tool: { name: 'submit_review' } }, { auto: {} }]) {
        const out = await sdk.send(new ConverseCommand({ ...base, toolConfig: { tools, toolChoice } }));
        const use = out.output?.message?.content?.[0]?.toolUse;
        assert.equal(use?.name, 'submit_review', JSON.stringify(toolChoice));
        const input = (use?.input ?? {}) as { issues?: unknown[]; findings?: unknown };
        assert.equal(input.issues?.length, 6);
        assert.equal(input.findings, undefined);
      }
      // An item schema that names its fields: the model fills those only.
      const narrow = { type: 'object', properties: { issues: { type: 'array', items: { type: 'object', properties: { file: { type: 'string' }, startLine: { type: 'integer' }, message: { type: 'string' } } } } } };
      const narrowOut = await sdk.send(new ConverseCommand({ ...base, toolConfig: { tools: [{ toolSpec: { name: 'submit_review', inputSchema: { json: narrow } } }], toolChoice: { any: {} } } }));
      const items = (narrowOut.output?.message?.content?.[0]?.toolUse?.input as { issues: Record<string, unknown>[] }).issues;
      assert.equal(items.length, 6);
      for (const item of items) assert.deepEqual(Object.keys(item).sort(), ['file', 'message', 'startLine']);
      // No tool offered: the JSON in text, as the system prompt asks.
      const { toolConfig: _none, ...plain } = base;
      const text = await sdk.send(new ConverseCommand(plain));
      assert.equal(text.stopReason, 'end_turn');
      assert.equal((JSON.parse(text.output?.message?.content?.[0]?.text ?? '') as { findings: unknown[] }).findings.length, 6);
    } finally {
      sdk.destroy();
    }
  });

  it('answers from the lines as printed and logs what did not add up in the request record', async () => {
    const sdk = client(emulator.url, 'http/1.1');
    try {
      const prompt = ['Review these 2 file(s).', '<<<CHORUS FILE path="src/x.js" lines=3>>>', '7| ok();', '8| eval(y);', '<<<CHORUS END FILE>>>'].join('\n');
      const out = await sdk.send(new ConverseCommand({ ...findingsRequest(NOVA_PRO), messages: [{ role: 'user', content: [{ text: prompt }] }] }));
      const findings = (out.output?.message?.content?.[0]?.toolUse?.input as { findings: { file: string; startLine: number }[] }).findings;
      assert.deepEqual(findings.map((f) => `${f.file}:${f.startLine}`), ['src/x.js:8']);
      const record = emulator.requests().at(-1)!;
      assert.deepEqual(record.files, ['src/x.js']);
      assert.deepEqual(record.promptNotes, ['src/x.js: header says lines=3, 2 listed', 'the prompt says 2 file(s), 1 FILE block(s) read']);
    } finally {
      sdk.destroy();
    }
  });
});
