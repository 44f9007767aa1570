import assert from 'node:assert/strict';
import { ConverseCommand, ConverseStreamCommand, ModelErrorException, ModelStreamErrorException, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import Ajv from 'ajv';
import { FINDINGS_INPUT_SCHEMA } from '../../../src/core/contract';
import { VirtualClock } from '../../../src/core/clock';
import { startEmulator, type EmulatorFault, type RunningEmulator } from '../../../src/emulator';
import { LLAMA, NOVA_PRO, TEST_CREDENTIALS, client, findingsRequest, until, type Protocol } from './helpers';

type Findings = { findings: { file: string; startLine: number; endLine: number }[] };

describe('emulator: injected faults', function () {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({
      config: { models: [{ id: NOVA_PRO, tokensPerMinute: 1_000_000 }, { id: LLAMA, tokensPerMinute: 1_000_000, toolChoice: ['auto'] }] },
      timeScale: 600,
    });
  });
  afterEach(() => emulator.setFaults([]));
  after(() => emulator.close());

  async function converse(fault: EmulatorFault['kind'], model = NOVA_PRO, protocol: Protocol = 'http/1.1'): Promise<ConverseCommandOutput> {
    emulator.setFaults([{ kind: fault, model }]);
    const sdk = client(emulator.url, protocol);
    try {
      return await sdk.send(new ConverseCommand(findingsRequest(model, { toolChoice: model === LLAMA ? 'auto' : 'tool' })));
    } finally {
      sdk.destroy();
    }
  }

  for (const protocol of ['http/1.1', 'h2'] as const satisfies Protocol[]) {
    it(`reset: the connection dies mid-response over ${protocol}`, async () => {
      await assert.rejects(converse('reset', NOVA_PRO, protocol));
      const record = emulator.requests().at(-1)!;
      assert.equal(record.outcome, 'reset');
      assert.equal(record.fault, 'reset');
    });
  }

  it('reset during a stream cuts the event stream', async () => {
    emulator.setFaults([{ kind: 'reset' }]);
    const sdk = client(emulator.url, 'h2');
    try {
      await assert.rejects(async () => {
        const out = await sdk.send(new ConverseStreamCommand(findingsRequest(NOVA_PRO)));
        for await (const _ of out.stream ?? []) { /* drain */ }
      });
    } finally {
      sdk.destroy();
    }
  });

  it('stream-error: a modelStreamErrorException event ends a stream midway; Converse gets 424', async () => {
    emulator.setFaults([{ kind: 'stream-error' }]);
    const sdk = client(emulator.url, 'http/1.1');
    try {
      const out = await sdk.send(new ConverseStreamCommand(findingsRequest(NOVA_PRO)));
      const seen: string[] = [];
      await assert.rejects(
        async () => {
          for await (const event of out.stream ?? []) seen.push(Object.keys(event).join());
        },
        (error: Error) => error instanceof ModelStreamErrorException && error.originalStatusCode === 500,
      );
      assert.equal(seen[0], 'messageStart');
      assert.ok(!seen.includes('messageStop'), 'the stream broke before its end');
      assert.equal(emulator.requests().at(-1)!.outcome, 'stream-error');
      await assert.rejects(sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO))), ModelErrorException);
    } finally {
      sdk.destroy();
    }
  });

  it('hang: never answers; the client times out and the request ends', async () => {
    emulator.setFaults([{ kind: 'hang' }]);
    const sdk = new BedrockRuntimeClient({
      endpoint: emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true }),
    });
    try {
      await assert.rejects(sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO))), /timeout|timed out/i);
    } finally {
      sdk.destroy();
    }
    // The server notices the client leaving a moment later.
    await until(() => emulator.requests().at(-1)!.outcome !== 'pending');
    assert.equal(emulator.requests().at(-1)!.outcome, 'hang');
    assert.equal(emulator.stats().models[NOVA_PRO]!.inFlight, 0, 'the client leaving ends the hung request');
  });

  it('hang: close() ends a hung request and resolves', async () => {
    const hung = await startEmulator({ config: { models: [{ id: NOVA_PRO, tokensPerMinute: 1_000_000 }], faults: [{ kind: 'hang' }] }, timeScale: 600 });
    const sdk = client(hung.url, 'h2');
    try {
      const call = sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO)));
      await until(() => hung.stats().models[NOVA_PRO]!.inFlight === 1);
      await hung.close();
      await assert.rejects(call);
      assert.equal(hung.requests()[0]!.outcome, 'hang');
    } finally {
      sdk.destroy();
    }
  });

  it('malformed-tool: a toolUse whose input breaks the findings schema', async () => {
    const out = await converse('malformed-tool');
    const input = out.output!.message!.content![0]!.toolUse!.input;
    assert.equal(out.stopReason, 'tool_use');
    assert.equal(new Ajv({ strict: false }).validate(FINDINGS_INPUT_SCHEMA, input), false);
  });

  it('malformed-tool on a text-answering model: JSON that does not parse', async () => {
    const out = await converse('malformed-tool', LLAMA);
    assert.throws(() => JSON.parse(out.output!.message!.content![0]!.text!) as unknown);
  });

  it('truncated-tool: stops at max_tokens without usable findings', async () => {
    const out = await converse('truncated-tool');
    assert.equal(out.stopReason, 'max_tokens');
    assert.deepEqual(out.output!.message!.content![0]!.toolUse!.input, {});
  });

  it('prose: text instead of a tool call', async () => {
    const out = await converse('prose');
    assert.equal(out.stopReason, 'end_turn');
    const block = out.output!.message!.content![0]!;
    assert.equal(block.toolUse, undefined);
    assert.match(block.text!, /reviewed/);
  });

  it('foreign-files: findings name files that were not in the batch', async () => {
    const out = await converse('foreign-files');
    const { findings } = out.output!.message!.content![0]!.toolUse!.input as Findings;
    assert.ok(findings.length > 0);
    for (const f of findings) assert.ok(!['src/app.ts', 'lib/tool.py'].includes(f.file), f.file);
  });

  it('lines-past-end: findings point past the last line of their file', async () => {
    const out = await converse('lines-past-end');
    const { findings } = out.output!.message!.content![0]!.toolUse!.input as Findings;
    const lastLine: Record<string, number> = { 'src/app.ts': 8, 'lib/tool.py': 14 };
    assert.ok(findings.length > 0);
    for (const f of findings) assert.ok(f.startLine > lastLine[f.file]!, `${f.file}:${f.startLine}`);
  });

  it('throttle: 429 regardless of quota, counted as throttled', async () => {
    await assert.rejects(converse('throttle'), { name: 'ThrottlingException' });
    assert.equal(emulator.requests().at(-1)!.outcome, 'throttled');
  });

  it('faults can be set over HTTP and bad ones are refused with 400', async () => {
    const put = (body: unknown) => fetch(`${emulator.url}/_emulator/faults`, { method: 'PUT', body: JSON.stringify(body) });
    assert.equal((await put([{ kind: 'no-such-fault' }])).status, 400);
    assert.equal((await put([{ kind: 'prose', rate: 2 }])).status, 400);
    assert.equal((await put([{ kind: 'prose', model: NOVA_PRO }])).status, 200);
    const sdk = client(emulator.url, 'h2');
    try {
      const out = await sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO)));
      assert.ok(out.output!.message!.content![0]!.text);
    } finally {
      sdk.destroy();
    }
  });
});

describe('emulator: faults repeat with the seed and respect their time window', function () {
  async function outcomes(seed: number): Promise<string[]> {
    const emulator = await startEmulator({
      config: { models: [{ id: NOVA_PRO, tokensPerMinute: 1_000_000, firstTokenMs: 0 }], faults: [{ kind: 'InternalServerException', rate: 0.5 }], seed },
      timeScale: 1_000,
    });
    const sdk = client(emulator.url, 'http/1.1');
    try {
      for (let i = 0; i < 16; i++) await sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO))).catch(() => undefined);
      return emulator.requests().map((r) => r.outcome);
    } finally {
      sdk.destroy();
      await emulator.close();
    }
  }

  it('the same seed gives the same sequence, another seed another one', async () => {
    const a = await outcomes(7);
    const b = await outcomes(7);
    const c = await outcomes(8);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(a.includes('ok') && a.includes('InternalServerException'), a.join());
  });

  it('applies a fault only between from and until (emulated seconds since start)', async () => {
    const clock = new VirtualClock(5_000);
    const emulator = await startEmulator({
      config: { models: [{ id: NOVA_PRO, tokensPerMinute: 1_000_000, firstTokenMs: 0, outputTokensPerSecond: 1e9 }], faults: [{ kind: 'ServiceUnavailableException', from: 10, until: 20 }] },
      clock,
    });
    const sdk = client(emulator.url, 'h2');
    const outcome = async () => {
      const call = sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO))).then(() => 'ok', (e: Error) => e.name);
      // The answer still sleeps a few µs of virtual time: nudge the clock by 1 ms until it comes.
      let result: string | undefined;
      void call.then((r) => (result = r));
      for (let i = 0; i < 500 && result === undefined; i++) {
        await clock.advance(1);
        await new Promise((r) => setTimeout(r, 1));
      }
      return call;
    };
    try {
      assert.equal(await outcome(), 'ok');
      // Place the next requests exactly: at 10 s since start, just before 20 s, at 20 s.
      const at = async (seconds: number) => clock.advance(5_000 + seconds * 1_000 - clock.now());
      await at(10);
      assert.equal(await outcome(), 'ServiceUnavailableException');
      await at(19.9);
      assert.equal(await outcome(), 'ServiceUnavailableException');
      await at(20);
      assert.equal(await outcome(), 'ok');
    } finally {
      sdk.destroy();
      await emulator.close();
    }
  });
});
