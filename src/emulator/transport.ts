/**
 * One port, two protocols. A cleartext HTTP/2 client (the AWS SDK's default handler) opens with the
 * preface `PRI * HTTP/2.0`; anything else is HTTP/1.1. We sniff the first bytes of each socket and
 * hand it to the matching Node server, so handlers see one small `Exchange` either way.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';

export interface Exchange {
  method: string;
  /** Path and query exactly as received (model ids still URL-encoded). */
  url: string;
  headers: IncomingHttpHeaders;
  protocol: 'http/1.1' | 'h2';
  body: AsyncIterable<Buffer>;
  respond(status: number, headers: Record<string, string>): void;
  write(chunk: string | Uint8Array): void;
  end(chunk?: string | Uint8Array): void;
  /** Kills the connection (HTTP/1.1) or the stream (h2) mid-response: a "connection reset". */
  destroy(): void;
  /** True once the client went away or the exchange was destroyed. */
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

export type ExchangeHandler = (exchange: Exchange) => void;

const PREFACE = Buffer.from('PRI * HTTP/2.0');

function fromHttp1(req: http.IncomingMessage, res: http.ServerResponse): Exchange {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headers,
    protocol: 'http/1.1',
    body: req,
    respond: (status, headers) => void res.writeHead(status, headers),
    write: (chunk) => void res.write(chunk),
    end: (chunk) => void (chunk === undefined ? res.end() : res.end(chunk)),
    destroy: () => req.socket.destroy(),
    get closed() {
      return res.writableEnded || req.socket.destroyed;
    },
    onClose: (listener) => void res.once('close', listener),
  };
}

function fromHttp2(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): Exchange {
  return {
    method: req.method,
    url: req.url,
    headers: req.headers,
    protocol: 'h2',
    body: req,
    respond: (status, headers) => void res.writeHead(status, headers),
    write: (chunk) => void res.write(chunk),
    end: (chunk) => void (chunk === undefined ? res.end() : res.end(chunk)),
    destroy: () => req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR),
    get closed() {
      return req.stream.closed || req.stream.destroyed;
    },
    onClose: (listener) => void res.once('close', listener),
  };
}

export interface DualServer {
  listen(port: number, host: string): Promise<number>;
  /** Stops listening and destroys every open connection (hung requests included). */
  close(): Promise<void>;
}

export function createDualServer(handler: ExchangeHandler): DualServer {
  const h1 = http.createServer({ keepAliveTimeout: 5_000 }, (req, res) => handler(fromHttp1(req, res)));
  const h2 = http2.createServer({}, (req, res) => handler(fromHttp2(req, res)));
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.Http2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const sniff = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      // Undecided while what we have is still a prefix of the preface.
      if (head.length < PREFACE.length && PREFACE.subarray(0, head.length).equals(head)) return;
      socket.off('data', sniff);
      socket.pause();
      socket.unshift(head);
      if (head.subarray(0, PREFACE.length).equals(PREFACE)) {
        // The h2 session reads what is buffered itself (on the next tick); resuming here would
        // emit those bytes as 'data' to nobody and lose the preface.
        h2.emit('connection', socket);
      } else {
        h1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', sniff);
  });

  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, host, () => {
          tcp.off('error', reject);
          resolve((tcp.address() as net.AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        h1.closeAllConnections();
        tcp.close(() => resolve());
      }),
  };
}
