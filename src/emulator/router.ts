/**
 * Routes of the emulator: Bedrock Runtime's Converse operations, plus `/_emulator/*` for tests and
 * tools (stats, the request log, faults at run time).
 */
import { handleConverse } from './converse';
import { ServiceError } from './errors';
import { handleServiceQuotas } from './serviceQuotas';
import type { EmulatorState } from './state';
import type { Exchange } from './transport';
import { validateFaults } from './validate';

const MODEL_ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

function json(ex: Exchange, status: number, value: unknown): void {
  ex.respond(status, { 'content-type': 'application/json' });
  ex.end(JSON.stringify(value, null, 1));
}

async function readJson(ex: Exchange): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of ex.body) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

async function admin(state: EmulatorState, ex: Exchange, url: URL): Promise<void> {
  const route = `${ex.method} ${url.pathname}`;
  switch (route) {
    case 'GET /_emulator/stats':
      return json(ex, 200, state.stats());
    case 'GET /_emulator/requests':
      return json(ex, 200, state.ledger.list({
        includeBodies: ['1', 'true'].includes(url.searchParams.get('bodies') ?? ''),
        since: Number(url.searchParams.get('since') ?? 0) || 0,
      }));
    case 'GET /_emulator/faults':
      return json(ex, 200, state.faults.list());
    case 'PUT /_emulator/faults':
    case 'POST /_emulator/faults': {
      try {
        state.faults.set(validateFaults(await readJson(ex)));
      } catch (error) {
        return json(ex, 400, { message: error instanceof Error ? error.message : String(error) });
      }
      return json(ex, 200, state.faults.list());
    }
    case 'GET /_emulator/health':
      return json(ex, 200, { ok: true, now: state.clock.now() });
    default:
      return json(ex, 404, { message: `No emulator route ${route}` });
  }
}

export function route(state: EmulatorState, ex: Exchange): Promise<void> {
  const url = new URL(ex.url, 'http://emulator.invalid');
  if (url.pathname.startsWith('/_emulator/')) return admin(state, ex, url);
  const m = MODEL_ROUTE.exec(url.pathname);
  if (m && ex.method === 'POST') return handleConverse(state, ex, m[1]!, m[2] as 'converse' | 'converse-stream');
  // AWS JSON 1.1 (Service Quotas): the operation is in a header, the path is `/`.
  if (ex.method === 'POST' && url.pathname === '/' && typeof ex.headers['x-amz-target'] === 'string') return handleServiceQuotas(state, ex);
  state.ledger.unrouted++;
  const error = new ServiceError('UnknownOperationException', `No operation ${ex.method} ${url.pathname}`);
  ex.respond(error.status, error.headers());
  ex.end(error.body());
  return Promise.resolve();
}
