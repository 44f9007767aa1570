import assert from 'node:assert/strict';
import { BedrockRuntimeServiceException, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';
import { NOVA_PRO, TEST_CREDENTIALS, client, findingsRequest, type Protocol } from './helpers';

describe('emulator: SigV4 authentication', function () {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ config: { ...defaultEmulatorConfig(), credentials: TEST_CREDENTIALS }, timeScale: 600 });
  });
  after(() => emulator.close());

  async function failure(promise: Promise<unknown>): Promise<BedrockRuntimeServiceException> {
    const error: unknown = await promise.then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof BedrockRuntimeServiceException, String(error));
    return error;
  }

  for (const protocol of ['http/1.1', 'h2'] as const satisfies Protocol[]) {
    it(`accepts a request signed with the configured key over ${protocol}`, async () => {
      const sdk = client(emulator.url, protocol);
      try {
        const out = await sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO)));
        assert.equal(out.stopReason, 'tool_use');
        const stream = await sdk.send(new ConverseStreamCommand(findingsRequest(NOVA_PRO)));
        for await (const _ of stream.stream ?? []) { /* drain */ }
      } finally {
        sdk.destroy();
      }
    });

    it(`rejects a wrong secret with 403 InvalidSignatureException over ${protocol}`, async () => {
      const sdk = client(emulator.url, protocol, { ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret' });
      try {
        const error = await failure(sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO))));
        assert.equal(error.name, 'InvalidSignatureException');
        assert.equal(error.$metadata.httpStatusCode, 403);
      } finally {
        sdk.destroy();
      }
    });
  }

  it('verifies requests signed with temporary credentials (session token signed as a header)', async () => {
    const sdk = client(emulator.url, 'h2', { ...TEST_CREDENTIALS, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' });
    try {
      const out = await sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO)));
      assert.equal(out.stopReason, 'tool_use');
    } finally {
      sdk.destroy();
    }
  });

  it('rejects an unknown access key with UnrecognizedClientException', async () => {
    const sdk = client(emulator.url, 'http/1.1', { ...TEST_CREDENTIALS, accessKeyId: 'AKIDSOMEONEELSE' });
    try {
      const error = await failure(sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO))));
      assert.equal(error.name, 'UnrecognizedClientException');
    } finally {
      sdk.destroy();
    }
  });

  it('rejects a request whose body was changed after signing', async () => {
    const sdk = client(emulator.url, 'http/1.1');
    sdk.middlewareStack.add(
      (next) => async (args) => {
        // The deserialize step runs after signing: change one byte of the signed body.
        const request = args.request as { body: Uint8Array | string };
        // Same length, so content-length stays right; only the signature can catch it.
        const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
        request.body = text.replace('Review', 'Reviev');
        return next(args);
      },
      { step: 'deserialize', name: 'tamper' },
    );
    try {
      const error = await failure(sdk.send(new ConverseCommand(findingsRequest(NOVA_PRO))));
      assert.equal(error.name, 'InvalidSignatureException');
    } finally {
      sdk.destroy();
    }
  });

  it('verifies a hand-signed request without x-amz-content-sha256 by hashing the body it received', async () => {
    const url = new URL(`${emulator.url}/model/${encodeURIComponent(NOVA_PRO)}/converse`);
    const body = JSON.stringify(findingsRequest(NOVA_PRO));
    const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: 'us-east-1', service: 'bedrock', sha256: Sha256, applyChecksum: false });
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {},
      headers: { host: url.host, 'content-type': 'application/json' }, body,
    });
    assert.equal(signed.headers['x-amz-content-sha256'], undefined);
    const send = (payload: string) => fetch(url, { method: 'POST', body: payload, headers: signed.headers });
    assert.equal((await send(body)).status, 200);
    const tampered = await send(body.replace('Review', 'Reviev'));
    assert.equal(tampered.status, 403);
    assert.match(tampered.headers.get('x-amzn-errortype') ?? '', /^InvalidSignatureException/);
  });

  it('accepts a Bedrock API key as a bearer token and refuses a missing Authorization header', async () => {
    const url = `${emulator.url}/model/${encodeURIComponent(NOVA_PRO)}/converse`;
    const body = JSON.stringify(findingsRequest(NOVA_PRO));
    const bearer = await fetch(url, { method: 'POST', body, headers: { authorization: 'Bearer ABSKexampleapikey', 'content-type': 'application/json' } });
    assert.equal(bearer.status, 200);
    const none = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    assert.equal(none.status, 403);
    assert.match(none.headers.get('x-amzn-errortype') ?? '', /^MissingAuthenticationTokenException/);
  });
});
