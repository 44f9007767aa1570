/**
 * A hostile Bedrock Runtime stand-in on 127.0.0.1: it shares no code with the engine or the emulator
 * and answers whatever a test scripts — tool input Chorus never asked for, missing or negative usage,
 * escape sequences in messages, a request that never ends, an error of any kind. It records every
 * request (headers and parsed body), so a test can also play "the attacker's server" a redirected run
 * would reach.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileCall {
  /** Decoded model id from `/model/{id}/converse`. */
  modelId: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (a Converse request), or the raw text when it is not JSON. */
  body: unknown;
}

export type HostileAnswer =
  /** A Converse answer body (see converseBody), HTTP 200. */
  | { json: unknown }
  /** An error as Bedrock sends it: the status, `x-amzn-errortype` and a JSON `message`. */
  | { error: string; status: number; message?: string }
  /** Never answer: the request stays open until the client gives up or the server closes. */
  | { hang: true }
  /** A 200 whose body is this text as it is (a gateway that mangles the answer, JSON that does not parse). */
  | { raw: string };

export type Script = (call: HostileCall, index: number) => HostileAnswer | Promise<HostileAnswer>;

export interface HostileBedrock {
  url: string;
  calls: HostileCall[];
  close(): Promise<void>;
}

export interface ConverseParts {
  toolInput?: unknown;
  /** Name of the tool the answer claims to call; the findings tool's by default. */
  toolName?: string;
  text?: string;
  /** `null` leaves usage out of the answer entirely. */
  usage?: { inputTokens?: unknown; outputTokens?: unknown } | null;
  stopReason?: string;
}

/** A Converse response body in the service's JSON shape. */
export function converseBody(parts: ConverseParts): unknown {
  const content: unknown[] = [];
  if (parts.text !== undefined) content.push({ text: parts.text });
  if (parts.toolInput !== undefined) content.push({ toolUse: { toolUseId: 'tooluse_hostile', name: parts.toolName ?? 'report_findings', input: parts.toolInput } });
  const body: Record<string, unknown> = {
    output: { message: { role: 'assistant', content } },
    stopReason: parts.stopReason ?? (parts.toolInput !== undefined ? 'tool_use' : 'end_turn'),
    metrics: { latencyMs: 5 },
  };
  if (parts.usage !== null) body.usage = parts.usage ?? { inputTokens: 100, outputTokens: 20, totalTokens: 120 };
  return body;
}

/** The whole user text of a Converse request: what left the machine. */
export function promptText(call: HostileCall): string {
  const body = call.body as { messages?: { content?: { text?: string }[] }[] } | undefined;
  return (body?.messages ?? []).flatMap((m) => (m.content ?? []).map((c) => c.text ?? '')).join('\n');
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'hostile', ...headers });
  res.end(body);
}

export async function startHostileBedrock(script: Script): Promise<HostileBedrock> {
  const calls: HostileCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* keep the raw text */
      }
      const path = req.url ?? '';
      const match = /^\/model\/([^/]+)\//.exec(path);
      // A Bedrock runtime endpoint answers model calls only: anything else (the Service Quotas read
      // Chorus makes before a run) is refused as the real one refuses it, and is not a model call.
      if (!match) return send(res, 404, { 'x-amzn-errortype': 'UnknownOperationException' }, JSON.stringify({ message: 'UnknownOperationException' }));
      const call: HostileCall = { modelId: decodeURIComponent(match[1]!), path, headers: req.headers, body };
      calls.push(call);
      void Promise.resolve(script(call, calls.length - 1)).then(
        (answer) => {
          if ('hang' in answer) return;
          if ('raw' in answer) return send(res, 200, {}, answer.raw);
          if ('error' in answer) send(res, answer.status, { 'x-amzn-errortype': answer.error }, JSON.stringify({ message: answer.message ?? answer.error }));
          else send(res, 200, {}, JSON.stringify(answer.json));
        },
        (err: unknown) => send(res, 500, { 'x-amzn-errortype': 'InternalServerException' }, JSON.stringify({ message: String(err) })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
