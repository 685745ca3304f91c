import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpServerSettings } from '../security/settings.js';

/**
 * The HTTP server, with its timeouts given to `http.createServer` itself: Node reads `requestTimeout` and
 * `headersTimeout` when it creates the server (fastify would set `requestTimeout` afterwards), and checks them every
 * `connectionsCheckingInterval` (30 s by default, far coarser than the timeouts). A client trickling its headers
 * or body is answered 408 and closed once its timeout passes.
 */
export function createHttpServer(
  settings: HttpServerSettings,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Server {
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, maxConnections } = settings;
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: headersTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // A quarter of the shorter timeout, at most a second: a slow client is closed soon after its time is up.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
    },
    handler,
  );
  // Beyond it the kernel's accepted connections are closed at once: a flood of idle sockets cannot exhaust the
  // process's file descriptors, which outgoing AWS calls need too.
  if (maxConnections > 0) server.maxConnections = maxConnections;
  return server;
}

/** How long shutdown waits for requests that are still arriving before it closes their connections. */
const ARRIVAL_GRACE_MS = 1_000;

/**
 * Which connections carry an operation in flight. At shutdown, those are let finish; every other connection is
 * closed: idle keep-alive connections at once, and those still sending headers or a body (a slow client, or one
 * trickling on purpose) after a short grace. Otherwise one slow client would hold the drain until its deadline.
 */
export class ConnectionTracker {
  /** Each open connection, with the request it is answering (headers and body received), if any. */
  private readonly sockets = new Map<Socket, IncomingMessage | null>();
  private drainingSince: number | undefined;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.set(socket, null);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.sockets.set(request.socket, request);
      response.once('finish', () => {
        if (this.sockets.get(request.socket) === request) this.sockets.set(request.socket, null);
      });
    });
  }

  /** Open connections. */
  get size(): number {
    return this.sockets.size;
  }

  /**
   * One sweep of a drain: closes idle connections, and, once the grace has passed since the first sweep, every
   * connection that is not answering a request it has received whole. Call it repeatedly until the server closes.
   */
  sweep(): void {
    this.drainingSince ??= performance.now();
    this.server.closeIdleConnections();
    if (performance.now() - this.drainingSince < ARRIVAL_GRACE_MS) return;
    for (const [socket, request] of this.sockets) {
      if (request?.complete) continue;
      socket.destroy();
    }
  }
}
