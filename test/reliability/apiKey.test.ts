/**
 * Bedrock API keys end to end: with only AWS_BEARER_TOKEN_BEDROCK in the environment (no access
 * keys, no profile, no instance metadata) the real SDK sends `Authorization: Bearer`, the emulator
 * verifies it, the preflight lets the run start and the CLI analyzes files; a wrong key ends the run
 * with a credentials error that says what to fix. The key never reaches stdout, stderr or the log.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { renderBatchPrompt, SYSTEM_PROMPT } from '../../src/core/contract';
import { checkCredentials, CredentialsError } from '../../src/core/engine';
import { createBedrockProviders, ProviderError } from '../../src/core/providers';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../src/emulator';
import { cliEnv, parseReport, runChorus, sampleWorkspace, tempDir, TIME_SCALE } from '../integration/cli/helpers';
import { removeAfter, tempDir as relTempDir } from './helpers';

const NOVA = 'us.amazon.nova-pro-v1:0';
/** Generated per run, shaped like a real key (ABSK + base64); never committed. */
const newKey = () => `ABSK${randomBytes(48).toString('base64')}`;

/** Everything the default chain could find besides the API key, removed; a HOME without ~/.aws. */
function onlyApiKey(home: string, key: string | undefined): Record<string, string | undefined> {
  return {
    AWS_BEARER_TOKEN_BEDROCK: key,
    AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_AUTH_SCHEME_PREFERENCE: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
    HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  };
}

/** Sets these variables for the duration of `body` in this process (the SDK reads process.env). */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}

describe('Bedrock API keys (AWS_BEARER_TOKEN_BEDROCK)', function () {
  this.timeout(60_000);
  const key = newKey();
  const dirs: string[] = [];
  removeAfter(dirs);
  let emulator: RunningEmulator;
  before(async () => {
    // SigV4 verification is on too, with a pair nobody in these tests has: only the key can pass.
    const config = { ...defaultEmulatorConfig(), apiKeys: [key], credentials: { accessKeyId: 'AKIDNOBODYHERE', secretAccessKey: randomBytes(16).toString('hex') } };
    emulator = await startEmulator({ config, port: 0, timeScale: TIME_SCALE });
  });
  after(() => emulator.close());
  const home = () => {
    const dir = relTempDir('home');
    dirs.push(dir);
    return dir;
  };
  const request = { modelId: NOVA, system: SYSTEM_PROMPT, prompt: renderBatchPrompt([{ path: 'a.ts', text: 'eval(x);\n' }]), maxTokens: 500, toolChoice: 'tool' as const };

  for (const http2 of [false, true]) {
    it(`the real SDK sends the key as a bearer token and the emulator accepts it, no access keys anywhere (${http2 ? 'HTTP/2' : 'HTTP/1.1'})`, async () => {
      await withEnv(onlyApiKey(home(), key), async () => {
        await checkCredentials('us-east-1', undefined);
        const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, http2 });
        const response = await providerFor(NOVA).converse(request, new AbortController().signal);
        assert.equal(response.stopReason, 'tool_use');
        assert.equal(emulator.requests().at(-1)?.protocol, http2 ? 'h2' : 'http/1.1');
      });
    });
  }

  it('a wrong key is a credentials error naming the variable, never the key', async () => {
    const wrong = newKey();
    await withEnv(onlyApiKey(home(), wrong), async () => {
      const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock });
      const error: unknown = await providerFor(NOVA).converse(request, new AbortController().signal).then(() => assert.fail('accepted a wrong key'), (e: unknown) => e);
      assert.ok(error instanceof ProviderError, String(error));
      assert.equal(error.kind, 'credentials', 'every model is affected, not just this one');
      assert.equal(error.httpStatus, 403);
      assert.match(error.message, /AWS_BEARER_TOKEN_BEDROCK/);
      assert.ok(!error.message.includes(wrong) && !error.message.includes(key));
    });
  });

  it('the preflight refuses an empty or quoted key before anything is sent, and lists API keys among the ways', async () => {
    const before = emulator.requests().length;
    for (const [value, reason] of [['', /set but empty/], [`"${key}"`, /spaces or quotes/]] as const) {
      await withEnv(onlyApiKey(home(), value), async () => {
        const error: unknown = await checkCredentials('us-east-1', undefined).then(() => assert.fail('accepted'), (e: unknown) => e);
        assert.ok(error instanceof CredentialsError);
        assert.match(error.message, reason);
        assert.ok(!error.message.includes(key), 'the value is not echoed');
      });
    }
    await withEnv(onlyApiKey(home(), undefined), async () => {
      await assert.rejects(checkCredentials('us-east-1', undefined), (e: unknown) => e instanceof CredentialsError && /AWS_BEARER_TOKEN_BEDROCK/.test(e.message));
    });
    assert.equal(emulator.requests().length, before);
  });

  describe('the CLI', () => {
    const run = (apiKey: string, extra: string[] = []) => {
      const root = sampleWorkspace();
      const cache = tempDir('cache');
      dirs.push(root, cache);
      return runChorus(['analyze', root, '--endpoint', emulator.url, '--format', 'json', '--verbose', ...extra], cliEnv(cache, onlyApiKey(home(), apiKey)));
    };

    it('analyzes a workspace with only the API key set', async () => {
      const before = emulator.requests().length;
      const result = await run(key);
      assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}`);
      const report = parseReport(result);
      assert.ok(report.files.some((f) => f.status === 'analyzed' && f.findings.length > 0), JSON.stringify(report.files));
      assert.ok(report.files.every((f) => f.status !== 'failed'), JSON.stringify(report.files));
      assert.ok(emulator.requests().slice(before).every((r) => r.outcome === 'ok'));
      assert.ok(!result.stdout.includes(key) && !result.stderr.includes(key), 'the key is not printed, even with --verbose');
    });

    it('a wrong key: exit 3 (the files failed, with why), the message says what to fix, no key printed', async () => {
      const wrong = newKey();
      const result = await run(wrong);
      assert.equal(result.code, 3, result.stderr);
      const report = parseReport(result);
      const failed = report.files.filter((f) => f.status === 'failed');
      assert.ok(failed.length > 0);
      assert.ok(failed.every((f) => /AWS_BEARER_TOKEN_BEDROCK/.test(f.reason ?? '')), JSON.stringify(failed));
      for (const text of [result.stdout, result.stderr]) assert.ok(!text.includes(wrong) && !text.includes(key));
    });

    it('an empty key: exit 2 before anything is sent', async () => {
      const before = emulator.requests().length;
      const result = await run('');
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /AWS_BEARER_TOKEN_BEDROCK is set but empty/);
      assert.equal(emulator.requests().length, before);
    });
  });
});
