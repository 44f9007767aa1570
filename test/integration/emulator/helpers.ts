/** Shared set-up for the emulator's integration tests: a real Bedrock Runtime client per protocol. */
import { BedrockRuntimeClient, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { FINDINGS_TOOL_SPEC, FINDINGS_TOOL_NAME, SYSTEM_PROMPT, renderBatchPrompt, type PromptFile } from '../../../src/core/contract';

export const NOVA_PRO = 'us.amazon.nova-pro-v1:0';
export const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';
export const NOVA_LITE = 'us.amazon.nova-lite-v1:0';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDEMULATORTEST', secretAccessKey: 'emulator-test-secret' };

export type Protocol = 'http/1.1' | 'h2';

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function client(url: string, protocol: Protocol, credentials: TestCredentials = TEST_CREDENTIALS): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    // The default handler speaks HTTP/2 in Node; NodeHttpHandler is plain HTTP/1.1.
    ...(protocol === 'http/1.1' ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}

export const SAMPLE_FILES: PromptFile[] = [
  {
    path: 'src/app.ts',
    text: ['const x = load();', 'if (x == 1) {', '  eval(x);', '}', 'try {', '  run();', '} catch (e) {}', '// TODO: remove'].join('\n'),
  },
  { path: 'lib/tool.py', text: ['def f():', '    try:', '        g()', '    except:', '        pass'].join('\n'), firstLine: 10 },
];

export function findingsRequest(modelId: string, options: { toolChoice?: 'tool' | 'auto' | 'any'; maxTokens?: number; files?: PromptFile[] } = {}): ConverseCommandInput {
  const choice = options.toolChoice ?? 'tool';
  return {
    modelId,
    system: [{ text: SYSTEM_PROMPT }],
    messages: [{ role: 'user', content: [{ text: renderBatchPrompt(options.files ?? SAMPLE_FILES) }] }],
    inferenceConfig: { maxTokens: options.maxTokens ?? 2000 },
    toolConfig: {
      tools: [FINDINGS_TOOL_SPEC],
      toolChoice: choice === 'tool' ? { tool: { name: FINDINGS_TOOL_NAME } } : choice === 'any' ? { any: {} } : { auto: {} },
    },
  };
}

/** Polls (on real time, asserting nothing about how long) until the emulator reaches a state. */
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!condition()) throw new Error('the emulator never reached the expected state');
}
