import assert from 'node:assert/strict';
import net from 'node:net';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { defaultEmulatorConfig, startEmulator, type EmulatorRequestRecord, type EmulatorStats, type RunningEmulator } from '../../../src/emulator';
import { NOVA_PRO, client, findingsRequest, until } from './helpers';

describe('emulator: bad input gets a 400 and the server keeps running', function () {
  let emulator: RunningEmulator;
  const converseUrl = () => `${emulator.url}/model/${encodeURIComponent(NOVA_PRO)}/converse`;
  const post = (body: string | Uint8Array) => fetch(converseUrl(), { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  before(async () => {
    emulator = await startEmulator({ config: { ...defaultEmulatorConfig(), maxBodyBytes: 64 * 1024 }, timeScale: 600 });
  });
  after(() => emulator.close());

  const cases: [string, string][] = [
    ['malformed JSON', '{"messages": ['],
    ['a JSON array', '[]'],
    ['no messages', '{}'],
    ['an empty message list', '{"messages": []}'],
    ['a message without content', '{"messages": [{"role": "user"}]}'],
    ['a wrong role', '{"messages": [{"role": "robot", "content": [{"text": "hi"}]}]}'],
    ['a non-string text', '{"messages": [{"role": "user", "content": [{"text": 42}]}]}'],
    ['a bad maxTokens', '{"messages": [{"role": "user", "content": [{"text": "hi"}]}], "inferenceConfig": {"maxTokens": -5}}'],
    ['a tool choice naming no declared tool', '{"messages": [{"role": "user", "content": [{"text": "hi"}]}], "toolConfig": {"tools": [{"toolSpec": {"name": "a"}}], "toolChoice": {"tool": {"name": "b"}}}}'],
    ['an empty tool list', '{"messages": [{"role": "user", "content": [{"text": "hi"}]}], "toolConfig": {"tools": []}}'],
  ];
  for (const [what, body] of cases) {
    it(`${what} → 400 ValidationException`, async () => {
      const response = await post(body);
      assert.equal(response.status, 400);
      assert.match(response.headers.get('x-amzn-errortype') ?? '', /^ValidationException/);
      const json = (await response.json()) as { message: string };
      assert.ok(json.message.length > 0);
    });
  }

  it('an oversized body → 400, nothing of it kept', async () => {
    const response = await post(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'x'.repeat(200_000) }] }] }));
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /exceeds the limit/);
    const record = emulator.requests({ includeBodies: true }).at(-1)!;
    assert.ok(record.bytes > 200_000);
    assert.equal(record.body, '');
  });

  it('an unknown path → 404 UnknownOperationException', async () => {
    const response = await fetch(`${emulator.url}/model/x/invoke-something`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 404);
    assert.match(response.headers.get('x-amzn-errortype') ?? '', /^UnknownOperationException/);
  });

  for (const [what, bytes] of [
    ['the HTTP/2 preface then garbage frames', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nthis is not an HTTP/2 frame at all'],
    ['an HTTP/1.1 request line of garbage', 'GARBAGE \u0000\u0001 nonsense\r\n\r\n'],
    ['a lone byte', 'P'],
  ] as const) {
    it(`a client sending ${what} is dropped without harm`, async () => {
      const socket = net.connect(emulator.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('data', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.end(bytes);
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    });
  }

  it('still answers a good request afterwards, and counts every bad one', async () => {
    const sdk = client(emulator.url, 'http/1.1');
    try {
      const out = await sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO)));
      assert.equal(out.stopReason, 'tool_use');
    } finally {
      sdk.destroy();
    }
    const stats = emulator.stats().models[NOVA_PRO]!;
    assert.equal(stats.errored, cases.length + 1);
    assert.equal(stats.accepted, 1);
  });
});

describe('emulator: a client that leaves', function () {
  for (const protocol of ['http/1.1', 'h2'] as const) {
    it(`ends the request as aborted and charges its input only (${protocol})`, async () => {
      const emulator = await startEmulator({ config: { models: [{ id: NOVA_PRO, tokensPerMinute: 100_000, firstTokenMs: 3_600_000 }] }, timeScale: 1 });
      const sdk = client(emulator.url, protocol);
      try {
        const controller = new AbortController();
        const call = sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO)), { abortSignal: controller.signal });
        await until(() => emulator.stats().models[NOVA_PRO]!.inFlight === 1);
        controller.abort();
        await assert.rejects(call);
        await until(() => emulator.requests()[0]!.outcome !== 'pending');
        const record = emulator.requests()[0]!;
        assert.equal(record.outcome, 'aborted');
        assert.equal(record.chargedTokens, record.inputTokens);
        const stats = emulator.stats().models[NOVA_PRO]!;
        assert.equal(stats.inFlight, 0);
        assert.equal(stats.windowTokensCharged, record.inputTokens);
      } finally {
        sdk.destroy();
        await emulator.close();
      }
    });
  }
});

describe('emulator: observability over HTTP', function () {
  let emulator: RunningEmulator;
  before(async () => {
    // Real time, fast models: the one request stays inside the current 60 s window while we look.
    const config = defaultEmulatorConfig();
    for (const m of config.models) Object.assign(m, { firstTokenMs: 5, outputTokensPerSecond: 100_000 });
    emulator = await startEmulator({ config, timeScale: 1 });
    const sdk = client(emulator.url, 'h2');
    try {
      await sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO, { maxTokens: 1_000 })));
    } finally {
      sdk.destroy();
    }
  });
  after(() => emulator.close());

  it('GET /_emulator/stats reports per-model counters and the current window', async () => {
    const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as EmulatorStats;
    const nova = stats.models[NOVA_PRO]!;
    assert.equal(nova.received, 1);
    assert.equal(nova.accepted, 1);
    assert.equal(nova.inFlight, 0);
    assert.equal(nova.tokensPerMinute, 100_000);
    assert.equal(nova.windowTokensReserved, 0);
    assert.equal(nova.windowTokensCharged, nova.totalTokensCharged);
    assert.equal(nova.windowTokensUsed, nova.windowTokensCharged);
    assert.equal(nova.windowRequests, 1);
    assert.ok(nova.bytesReceived > 1_000);
    assert.equal(stats.totals.received, 1);
    assert.equal(stats.timeScale, 1);
    assert.deepEqual(Object.keys(stats.models).sort(), defaultEmulatorConfig().models.map((m) => m.id).sort());
  });

  it('GET /_emulator/requests lists what was sent; ?bodies=1 adds the prompt text', async () => {
    const plain = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as EmulatorRequestRecord[];
    assert.equal(plain.length, 1);
    const r = plain[0]!;
    assert.equal(r.model, NOVA_PRO);
    assert.deepEqual(r.files, ['src/app.ts', 'lib/tool.py']);
    assert.equal(r.prompt, undefined);
    assert.equal(r.reservedTokens, r.inputTokens + 1_000);
    const full = (await (await fetch(`${emulator.url}/_emulator/requests?bodies=1`)).json()) as EmulatorRequestRecord[];
    assert.match(full[0]!.prompt!, /eval\(x\)/);
    assert.match(full[0]!.system!, /Chorus/);
    assert.ok(full[0]!.body!.includes('report_findings'));
    const none = (await (await fetch(`${emulator.url}/_emulator/requests?since=1`)).json()) as EmulatorRequestRecord[];
    assert.equal(none.length, 0);
  });
});
