import type { ServerResponse } from 'node:http';
import type { EmulatorClock } from './clock.js';
import { FaultConfigError, type FaultInjector } from './faults.js';
import type { CallStats } from './stats.js';

/*
 * Unsigned control endpoints under /_emulator (never reachable through an SDK client, whose
 * paths all belong to the services):
 *   GET    /_emulator/health       200 {"status":"ok"}
 *   GET    /_emulator/stats        call counts ({"total", "calls", "byRegion"})
 *   POST   /_emulator/stats/reset  zero the counters, keep the data (204)
 *   POST   /_emulator/reset        back to the start: the fixtures' data (writes forgotten), zero counters, the
 *                                  clock unmoved (204)
 *   GET    /_emulator/clock        {"now", "offsetSeconds"}
 *   POST   /_emulator/clock        move it forward: {"advanceSeconds": n} (0 < n <= 1 year), answers the new clock
 *   GET    /_emulator/faults       the active fault config ({} when none)
 *   PUT    /_emulator/faults       replace it (JSON body; 400 with the problems when invalid)
 *   DELETE /_emulator/faults       remove all faults (204)
 */

export const ADMIN_PREFIX = '/_emulator';

export interface AdminDependencies {
  readonly stats: CallStats;
  readonly faults: FaultInjector;
  readonly clock: EmulatorClock;
  readonly reset: () => void;
}

const MAX_ADVANCE_SECONDS = 366 * 24 * 3600;

function advanceSecondsOf(raw: Buffer): number | string {
  let document: unknown;
  try {
    document = JSON.parse(raw.toString('utf8'));
  } catch {
    return 'The body must be JSON: {"advanceSeconds": <seconds>}';
  }
  const value = (document as { advanceSeconds?: unknown } | null)?.advanceSeconds;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_ADVANCE_SECONDS)
    return `advanceSeconds must be a number of seconds above 0 and at most ${MAX_ADVANCE_SECONDS}`;
  return value;
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
    '/_emulator/stats/reset': {
      POST: () => {
        deps.stats.reset();
        noContent(res);
      },
    },
    '/_emulator/reset': {
      POST: () => {
        deps.reset();
        noContent(res);
      },
    },
    '/_emulator/clock': {
      GET: () => sendJson(res, 200, deps.clock.snapshot()),
      POST: (raw) => {
        const seconds = advanceSecondsOf(raw);
        if (typeof seconds === 'string') {
          sendJson(res, 400, { message: seconds });
          return;
        }
        deps.clock.advance(seconds);
        sendJson(res, 200, deps.clock.snapshot());
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
