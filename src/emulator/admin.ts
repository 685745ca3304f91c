import type { ServerResponse } from 'node:http';
import { FaultConfigError, type FaultInjector } from './faults.js';
import type { CallStats } from './stats.js';

/*
 * Unsigned control endpoints under /_emulator (never reachable through an SDK client, whose
 * paths all belong to the services):
 *   GET    /_emulator/health   200 {"status":"ok"}
 *   GET    /_emulator/stats    call counts ({"total", "calls", "byRegion"})
 *   POST   /_emulator/reset    zero the counters (204)
 *   GET    /_emulator/faults   the active fault config ({} when none)
 *   PUT    /_emulator/faults   replace it (JSON body; 400 with the problems when invalid)
 *   DELETE /_emulator/faults   remove all faults (204)
 */

export const ADMIN_PREFIX = '/_emulator';

export interface AdminDependencies {
  readonly stats: CallStats;
  readonly faults: FaultInjector;
}

function sendJson(
  res: ServerResponse,
  statusCode: number,
  document: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(document);
  res.writeHead(statusCode, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

type Handler = (body: Buffer) => void;

export function handleAdmin(
  res: ServerResponse,
  method: string,
  path: string,
  body: Buffer,
  deps: AdminDependencies,
): void {
  const routes: Record<string, Record<string, Handler>> = {
    '/_emulator/health': { GET: () => sendJson(res, 200, { status: 'ok' }) },
    '/_emulator/stats': { GET: () => sendJson(res, 200, deps.stats.snapshot()) },
    '/_emulator/reset': {
      POST: () => {
        deps.stats.reset();
        noContent(res);
      },
    },
    '/_emulator/faults': {
      GET: () => sendJson(res, 200, deps.faults.current()),
      PUT: (raw) => {
        let document: unknown;
        try {
          document = JSON.parse(raw.toString('utf8'));
        } catch (error) {
          sendJson(res, 400, { message: `Fault config is not valid JSON: ${(error as Error).message}` });
          return;
        }
        try {
          sendJson(res, 200, deps.faults.set(document));
        } catch (error) {
          if (!(error instanceof FaultConfigError)) throw error;
          sendJson(res, 400, { message: 'Invalid fault config', issues: error.issues });
        }
      },
      DELETE: () => {
        deps.faults.clear();
        noContent(res);
      },
    },
  };

  const route = routes[path.replace(/\/$/, '')];
  if (!route) {
    sendJson(res, 404, { message: `No emulator endpoint ${path}`, endpoints: Object.keys(routes) });
    return;
  }
  const handler = route[method];
  if (!handler) {
    sendJson(res, 405, { message: `${method} is not allowed on ${path}` }, { Allow: Object.keys(route).join(', ') });
    return;
  }
  handler(body);
}
