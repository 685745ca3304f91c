import { existsSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typedQuery } from '../../bench/ceiling/server.js';
import { type EmulatorControl, inProcessEmulator } from '../../bench/lib/emulator-control.js';
import { walkLists } from '../../bench/lib/list-orders.js';
import { graphqlRequest, runLoad } from '../../bench/lib/load.js';
import { COLD_HEADERS, countCalls, sameData, send } from '../../bench/lib/measure.js';
import { type ListOrders, minimumForGroup, minimumForOperation } from '../../bench/lib/minimum.js';
import { readBenchOptions } from '../../bench/lib/options.js';
import { cacheSizes, soak, soakRequests } from '../../bench/lib/soak.js';
import { productStartCommand, rssParts, spawnProductGateway, spawnServer } from '../../bench/lib/processes.js';
import { BenchData, type Scenario, buildScenarios, listsToWalk } from '../../bench/lib/scenarios.js';
import { BENCH_GATEWAY_OVERRIDES, type StartedTarget, startTarget } from '../../bench/lib/targets.js';
import { type RunningEmulator, generateFixtures, startEmulator } from '../../src/emulator/index.js';
import { buildCatalog } from '../../src/catalog.js';
import { modules } from '../../src/modules/index.js';
import { buildSchema } from '../../src/schema.js';

/*
 * The benchmark's own machinery on a small data set, without timing anything: exact AWS call counts from the
 * emulator for the gateway, the naive baseline and the ceiling, the derivation of the minimum, one tiny load run and
 * one spawned server.
 */

// Small, but shaped like the benchmark's data: two list pages of trackers per region, three of internet events.
const DATA = {
  seed: 1,
  regions: 3,
  domainsPerRegion: 2,
  streamsPerDomain: 30,
  datasetGroupsPerRegion: 120,
  internetEvents: 300,
};

let emulator: RunningEmulator;
let control: EmulatorControl;
let gateway: StartedTarget;
let naive: StartedTarget;
let scenarios: Scenario[];
let orders: ListOrders;

const MB = 1024 * 1024;
const scenario = (id: Scenario['id']) => scenarios.find((s) => s.id === id)!;

beforeAll(async () => {
  const fixtures = generateFixtures(DATA);
  emulator = await startEmulator({ port: 0, fixtures });
  control = inProcessEmulator(emulator);
  gateway = await startTarget('gateway', { endpointUrl: emulator.url });
  naive = await startTarget('naive', { endpointUrl: emulator.url });
  scenarios = buildScenarios(new BenchData(fixtures), DATA.seed);
  orders = await walkLists(emulator.url, listsToWalk(scenarios));
});

afterAll(async () => {
  await gateway?.close();
  await naive?.close();
  await emulator?.close();
});

describe('benchmark harness', () => {
  it('every benchmark operation is valid against the schema', () => {
    const schema = buildSchema(buildCatalog(modules));
    for (const s of scenarios)
      expect(validate(schema, parse(s.query)).map((e) => `${s.operationFile}: ${e.message}`)).toEqual([]);
  });

  it('the naive baseline spends one AWS call per reference on the cold dashboard, more than the gateway', async () => {
    const gatewayCount = await countCalls(gateway.url, scenario('dashboard-cold'), control);
    const naiveCount = await countCalls(naive.url, scenario('dashboard-cold'), control);

    // 25 stream references, 10 tracker references, 8 dataset group references (6 nested, 1 root, 1 in nodes), 17 internet event references.
    expect(naiveCount.byOperation).toEqual({
      'profile:GetEventStream': 25,
      'personalize:DescribeEventTracker': 10,
      'personalize:DescribeDatasetGroup': 8,
      'internetmonitor:GetInternetEvent': 17,
    });
    expect(naiveCount.body.errors).toBeUndefined();
    expect(gatewayCount.body.errors).toBeUndefined();
    expect(gatewayCount.total).toBeLessThan(naiveCount.total);
    expect(sameData(gatewayCount.body, naiveCount.body)).toBe(true);
  });

  it('the minimum for the dashboard is one list page per domain and list, one Describe per tracker needing details and per distinct dataset group', () => {
    const minimum = minimumForOperation(scenario('dashboard-cold').demand, orders);

    expect(minimum.byOperation).toEqual({
      'profile:ListEventStreams': 2,
      'personalize:DescribeEventTracker': 5,
      'personalize:ListEventTrackers': 1,
      'personalize:DescribeDatasetGroup': 5,
      'internetmonitor:ListInternetEvents': 1,
    });
    expect(minimum.total).toBe(14);
  });

  it('the minimum reads only the list pages that save calls and gets the other keys one by one', () => {
    const order = new Map([
      ['a', 0],
      ['b', 0],
      ['c', 1],
      ['d', 3],
    ]);
    const group = (ids: string[]) => ({
      label: 'g',
      getOperation: 's:Get',
      listOperation: 's:List',
      listId: 'l',
      keys: ids.map((id) => ({ id })),
    });

    // Page 1 answers a and b (1 call instead of 2); reaching d would take 4 pages where one Get does.
    expect(minimumForGroup(group(['a', 'b', 'c', 'd', 'a']), new Map([['l', order]])).byOperation).toEqual({
      's:List': 1,
      's:Get': 2,
    });
    expect(minimumForGroup(group(['c', 'd']), new Map([['l', order]])).byOperation).toEqual({ 's:Get': 2 });
  });

  it('the ceiling answers the dashboard with the gateway data and no AWS call', async () => {
    const dashboard = scenario('dashboard-cold');
    const typed = await send(
      gateway.url,
      graphqlRequest(typedQuery(dashboard.query), dashboard.variables, COLD_HEADERS),
    );
    const ceiling = await startTarget('ceiling', { responses: [{ query: dashboard.query, data: typed.body.data! }] });
    try {
      const fromGateway = await countCalls(gateway.url, dashboard, control);
      const fromCeiling = await countCalls(ceiling.url, dashboard, control);

      expect(fromCeiling.total).toBe(0);
      expect(fromCeiling.body.errors).toBeUndefined();
      expect(sameData(fromGateway.body, fromCeiling.body)).toBe(true);
    } finally {
      await ceiling.close();
    }
  });

  it('a load run stops at its request bound and counts every response without failures', async () => {
    const dashboard = scenario('dashboard-warm');
    const result = await runLoad({
      url: gateway.url,
      request: graphqlRequest(dashboard.query, dashboard.variables),
      connections: 2,
      durationSeconds: 5,
      maxRequests: 20,
    });

    expect(result.requests).toBe(20);
    expect(result.failures).toEqual({ errors: 0, timeouts: 0, non2xx: 0, graphqlErrors: 0 });
    expect(result.p50).toBeGreaterThan(0);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
  });

  it('a spawned server reports its startup time and memory, answers, and is gone after stop', async () => {
    const server = await spawnServer('gateway', ['--endpoint-url', emulator.url]);
    try {
      expect(server.startupMs).toBeGreaterThan(0);
      expect(server.rss()).toBeGreaterThan(10 * 1024 * 1024);
      expect(server.peakRss()).toBeGreaterThanOrEqual(server.rss() - 1024 * 1024);
      const single = scenario('single-lookup');
      const { body } = await send(server.url, graphqlRequest(single.query, single.variables));
      expect(body.data?.eventStream).toMatchObject({ name: single.variables.name });
    } finally {
      await server.stop();
    }
    expect(existsSync(`/proc/${server.pid}`)).toBe(false);
  });

  it("the soak's server is the product, started with npm start's own Node flags, and reads its own heap", async () => {
    const product = await spawnProductGateway(emulator.url, { env: BENCH_GATEWAY_OVERRIDES, probe: true });
    try {
      const [, ...startArgs] = productStartCommand();
      expect(startArgs.filter((arg) => arg.startsWith('--')).every((flag) => product.entry.includes(flag))).toBe(true);
      const single = scenario('single-lookup');
      const { body } = await send(product.url, graphqlRequest(single.query, single.variables));
      expect(body.data?.eventStream).toMatchObject({ name: single.variables.name });
      const live = await product.memory(true);
      expect(live.heapUsed).toBeGreaterThan(5 * 1024 * 1024);
      expect(live.heapUsed).toBeLessThan(live.heapTotal);
      const parts = rssParts(product.pid)!;
      expect(parts.anonymousMb).toBeGreaterThan(live.heapUsed / 1024 ** 2);
      expect(parts.fileMb).toBeGreaterThan(5);
    } finally {
      await product.stop();
    }
  });

  it('soaks the product reading its resident set, its peak, its heap and what its caches hold', async () => {
    const product = await spawnProductGateway(emulator.url, { env: BENCH_GATEWAY_OVERRIDES, probe: true });
    try {
      const result = await soak(
        product.url,
        {
          rssMb: () => product.rss() / MB,
          peakRssMb: () => product.peakRss() / MB,
          memory: (gc) => product.memory(gc),
          cacheBytes: async () => Object.values((await cacheSizes(product.url)).held).reduce((s, c) => s + c.bytes, 0),
        },
        soakRequests(new BenchData(generateFixtures(DATA)), scenarios, DATA.seed),
        { seconds: 2.5, connections: 4, warmupSeconds: 1 },
      );
      expect(result.load.totalResponses).toBeGreaterThan(20);
      expect(result.samples.length).toBeGreaterThanOrEqual(3);
      // The first reading (before any request) and the last (after the load) carry the caches; the last holds more.
      const first = result.samples[0]!;
      const last = result.samples.at(-1)!;
      expect(first.cachesMb).toBeDefined();
      expect(last.cachesMb).toBeGreaterThan(first.cachesMb!);
      expect(result.samples.every((s) => s.heapUsedMb! > 0)).toBe(true);
      // A soak shorter than the first window: both peaks are the whole soak's, VmHWM included.
      expect(result.peakRssFirstWindowMb).toBe(result.peakRssMb);
      // Samples are rounded to 0.1 MB in the result; the peak is not.
      expect(result.peakRssMb).toBeGreaterThanOrEqual(Math.max(...result.samples.map((s) => s.rssMb)) - 0.05);
      expect(result.afterLoad!.liveHeapMb).toBeLessThan(result.afterLoad!.heapTotalMb);
    } finally {
      await product.stop();
    }
  });

  it('compares answers without their cursors, which each implementation writes its own way', async () => {
    const list = scenario('list-page');
    const request = graphqlRequest(list.query, list.variables, COLD_HEADERS);
    const [fromGateway, fromNaive] = await Promise.all([send(gateway.url, request), send(naive.url, request)]);
    const cursor = (body: typeof fromGateway.body) =>
      (body.data as { eventStreams: { pageInfo: { endCursor: string } } }).eventStreams.pageInfo.endCursor;
    expect(cursor(fromGateway.body)).not.toBe(cursor(fromNaive.body));
    expect(sameData(fromGateway.body, fromNaive.body)).toBe(true);
    const changed = JSON.parse(JSON.stringify(fromNaive.body));
    changed.data.eventStreams.nodes[0].name = 'another';
    expect(sameData(fromGateway.body, changed)).toBe(false);
  });

  it('soaks a larger data set only on its own, since the scenarios are derived for the default one', () => {
    expect(readBenchOptions({}, ['--only', 'soak', '--soak-scale', '4']).data.domainsPerRegion).toBe(100);
    expect(() => readBenchOptions({}, ['--soak-scale', '4'])).toThrow(/--only soak/);
  });
});
