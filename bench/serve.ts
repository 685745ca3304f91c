import { readFileSync } from 'node:fs';
import { flagsToEnv } from '../src/config.js';
// Its `memory` and `gc` commands on standard input, shared with the product under the soak (and SIGTERM when
// standard input closes).
import './lib/memory-probe.mjs';
import { READY_PREFIX } from './lib/processes.js';
import { type ServeKind, startTarget } from './lib/targets.js';

/**
 * One server under test in its own process, so its RSS is its own and it has an event loop to itself:
 *
 *   node --import tsx bench/serve.ts emulator --data '<GenerateOptions JSON>' --latency-ms 25
 *   node --import tsx bench/serve.ts gateway  --endpoint-url http://127.0.0.1:<emulator port>
 *   node --import tsx bench/serve.ts naive    --endpoint-url http://127.0.0.1:<emulator port>
 *   node --import tsx bench/serve.ts ceiling  --responses <file of CeilingResponse[]>
 *
 * Prints one line `BENCH_READY {"url":...,"pid":...}` once it accepts requests. It exits on SIGTERM/SIGINT, and when
 * its standard input closes (bench/lib/memory-probe.mjs), which happens when the benchmark that started it exits in
 * any way, even killed. `memory` or `gc` on a line of standard input prints its memory (the same probe).
 */

const KINDS: readonly ServeKind[] = ['emulator', 'gateway', 'naive', 'ceiling'];

async function main(): Promise<void> {
  const [kind, ...rest] = process.argv.slice(2);
  if (!KINDS.includes(kind as ServeKind)) throw new Error(`Unknown server "${kind}": use ${KINDS.join(', ')}`);
  const args = flagsToEnv(rest);
  const target = await startTarget(kind as ServeKind, {
    data: args.DATA ? JSON.parse(args.DATA) : undefined,
    latencyMs: args.LATENCY_MS ? Number(args.LATENCY_MS) : undefined,
    endpointUrl: args.ENDPOINT_URL,
    responses: args.RESPONSES ? JSON.parse(readFileSync(args.RESPONSES, 'utf8')) : undefined,
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 3_000).unref();
    target.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(
    `${READY_PREFIX}${JSON.stringify({ url: target.url, pid: process.pid, uptimeMs: Math.round(process.uptime() * 1000), ...target.details })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
