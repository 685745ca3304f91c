import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Fixtures, eventStreamArnFor, eventTrackerArnFor, internetEventArnFor } from '../../src/emulator/index.js';
import type { DemandGroup, DemandKey } from './minimum.js';
import { seededPick } from './random.js';

/**
 * The benchmark's operations, with variables picked from the generated data and, next to them, what each one asks
 * of AWS (the demand the minimum is derived from). Variables and demand are built from the same picks, so they
 * cannot disagree.
 */

export type ScenarioId =
  | 'single-lookup'
  | 'list-page'
  | 'dashboard-cold'
  | 'dashboard-warm'
  | 'entities-nodes'
  | 'entities-federation';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** The file under bench/operations/. */
  operationFile: string;
  query: string;
  variables: Record<string, unknown>;
  /** cold: every request bypasses the gateway's cache (`Cache-Control: no-cache`); warm: one priming request first. */
  cache: 'cold' | 'warm';
  demand: DemandGroup[];
  /** Resource references in the operation (duplicates included) and distinct resources. */
  references: number;
  distinctResources: number;
}

const OPERATIONS_DIR = fileURLToPath(new URL('../operations/', import.meta.url));

function operation(file: string): string {
  return readFileSync(`${OPERATIONS_DIR}${file}`, 'utf8');
}

interface StreamRef {
  region: string;
  domainName: string;
  name: string;
  arn: string;
}

interface TrackerRef {
  region: string;
  arn: string;
  groupArn: string;
}

interface EventRef {
  eventId: string;
  arn: string;
}

/** What the scenarios can pick from, in the order the fixtures (and so the emulator's lists) hold it. */
export class BenchData {
  readonly accountId: string;
  readonly regions: string[];

  constructor(readonly fixtures: Fixtures) {
    this.accountId = fixtures.accountId ?? '';
    this.regions = Object.keys(fixtures.regions ?? {});
  }

  domains(region: string): string[] {
    return (this.fixtures.regions?.[region]?.customerProfiles?.domains ?? []).map((d) => d.DomainName);
  }

  streams(region: string, domainName: string): StreamRef[] {
    const domain = (this.fixtures.regions?.[region]?.customerProfiles?.domains ?? []).find(
      (d) => d.DomainName === domainName,
    );
    return (domain?.eventStreams ?? []).map((s) => ({
      region,
      domainName,
      name: s.EventStreamName,
      arn: s.EventStreamArn ?? eventStreamArnFor(region, this.accountId, domainName, s.EventStreamName),
    }));
  }

  trackers(region: string): TrackerRef[] {
    return (this.fixtures.regions?.[region]?.personalize?.eventTrackers ?? []).map((t) => ({
      region,
      arn: t.eventTrackerArn ?? eventTrackerArnFor(region, this.accountId, t.name),
      groupArn: t.datasetGroupArn,
    }));
  }

  internetEvents(): EventRef[] {
    return (this.fixtures.internetMonitor?.internetEvents ?? []).map((e) => ({
      eventId: e.EventId,
      arn: internetEventArnFor(this.accountId, e.EventId),
    }));
  }
}

export const streamKeyId = (s: { region: string; domainName: string; name: string }) =>
  `${s.region}/${s.domainName}/${s.name}`;
export const streamListId = (region: string, domainName: string) => `profile:ListEventStreams:${region}/${domainName}`;
export const trackerListId = (region: string) => `personalize:ListEventTrackers:${region}`;
export const INTERNET_EVENT_LIST_ID = 'internetmonitor:ListInternetEvents';

/** Every `step`-th item from `offset`: spread over a list, deterministic. */
function spread<T>(items: readonly T[], count: number, offset = 0): T[] {
  if (items.length < count)
    throw new Error(`the generated data has ${items.length} items where a scenario needs ${count}`);
  const step = Math.max(1, Math.floor((items.length - offset) / count));
  return Array.from({ length: count }, (_, i) => items[offset + i * step]!);
}

class DemandBuilder {
  private readonly groups = new Map<string, DemandGroup>();

  stream(s: StreamRef, details = false): void {
    this.add(
      `event streams of ${s.region}/${s.domainName}`,
      {
        getOperation: 'profile:GetEventStream',
        listOperation: 'profile:ListEventStreams',
        listId: streamListId(s.region, s.domainName),
      },
      { id: streamKeyId(s), details },
    );
  }

  tracker(t: TrackerRef, details: boolean): void {
    this.add(
      `event trackers of ${t.region}`,
      {
        getOperation: 'personalize:DescribeEventTracker',
        listOperation: 'personalize:ListEventTrackers',
        listId: trackerListId(t.region),
      },
      { id: t.arn, details },
    );
  }

  datasetGroup(arn: string): void {
    const region = arn.split(':')[3] ?? '';
    this.add(`dataset groups of ${region}`, { getOperation: 'personalize:DescribeDatasetGroup' }, { id: arn });
  }

  internetEvent(e: EventRef): void {
    this.add(
      'internet events',
      {
        getOperation: 'internetmonitor:GetInternetEvent',
        listOperation: 'internetmonitor:ListInternetEvents',
        listId: INTERNET_EVENT_LIST_ID,
      },
      { id: e.eventId },
    );
  }

  streamListPages(region: string, domainName: string, pages: number): void {
    const group = this.group(`event streams of ${region}/${domainName}`, {
      getOperation: 'profile:GetEventStream',
      listOperation: 'profile:ListEventStreams',
      listId: streamListId(region, domainName),
    });
    group.forcedPages = Math.max(group.forcedPages ?? 0, pages);
  }

  build(): DemandGroup[] {
    return [...this.groups.values()];
  }

  private group(label: string, shape: Omit<DemandGroup, 'label' | 'keys'>): DemandGroup {
    let group = this.groups.get(label);
    if (!group) {
      group = { label, ...shape, keys: [] };
      this.groups.set(label, group);
    }
    return group;
  }

  private add(label: string, shape: Omit<DemandGroup, 'label' | 'keys'>, key: DemandKey): void {
    this.group(label, shape).keys.push(key);
  }
}

function counts(demand: DemandGroup[]): { references: number; distinctResources: number } {
  let references = 0;
  let distinctResources = 0;
  for (const g of demand) {
    references += g.keys.length;
    distinctResources += new Set(g.keys.map((k) => k.id)).size;
  }
  return { references, distinctResources };
}

export function buildScenarios(data: BenchData, seed = 1): Scenario[] {
  const [regionA, regionB, regionC] = data.regions;
  if (!regionA || !regionB || !regionC) throw new Error('the benchmark data needs at least three regions');
  const [domainA, domainC] = data.domains(regionA);
  const [domainB, domainD] = data.domains(regionB);
  if (!domainA || !domainB || !domainC || !domainD)
    throw new Error('the benchmark data needs two domains in each of two regions');
  const events = data.internetEvents();

  // Single lookup: one stream, every field (GetEventStream is the only call that has them all).
  const single = data.streams(regionA, domainA)[5]!;
  const singleDemand = new DemandBuilder();
  singleDemand.stream(single, true);

  // List page: the first 25 streams of a domain, summary fields.
  const listDemand = new DemandBuilder();
  listDemand.streamListPages(regionB, domainD, 1);

  // Dashboard. Streams spread over two domains; trackers spread over two regions' lists (a dashboard pins the
  // trackers it cares about, wherever AWS lists them); internet events among the 100 most recent; the summary-only
  // trackers of `nodes` among the first listed in their region.
  const a = spread(data.streams(regionA, domainA), 10, 1);
  const b = spread(data.streams(regionB, domainB), 10, 2);
  const extraStream = data.streams(regionA, domainA).find((s) => !a.includes(s))!;
  const trackersA = data.trackers(regionA);
  const trackersC = data.trackers(regionC);
  const detailed = [...spread(trackersA, 3, 7), ...spread(trackersC, 2, 11)];
  const summaryTrackers = trackersA
    .slice(0, 40)
    .filter((t) => !detailed.includes(t))
    .filter((_, i) => i % 9 === 4)
    .slice(0, 4);
  const recent = spread(events.slice(0, 100), 14, 3);
  const dashboardEvents = recent.slice(0, 12);
  const nodesEvents = [recent[2]!, recent[12]!, recent[13]!];
  const dashboardIds = [
    a[2]!.arn,
    extraStream.arn,
    ...summaryTrackers.map((t) => t.arn),
    ...nodesEvents.map((e) => e.arn),
    detailed[3]!.groupArn,
  ];
  const dashboardVariables: Record<string, unknown> = {
    regionA,
    domainA,
    regionB,
    domainB,
    group: detailed[1]!.groupArn,
    ids: dashboardIds,
  };
  for (const [i, s] of a.entries()) dashboardVariables[`a${i}`] = s.name;
  for (const [i, s] of b.entries()) dashboardVariables[`b${i}`] = s.name;
  for (const [i, t] of detailed.entries()) dashboardVariables[`t${i}`] = t.arn;
  for (const [i, e] of dashboardEvents.entries()) dashboardVariables[`e${i}`] = e.eventId;

  const dash = new DemandBuilder();
  for (const s of [...a, ...b, a[0]!, a[1]!, b[0]!, a[2]!, extraStream]) dash.stream(s);
  for (const t of [...detailed, detailed[0]!]) {
    dash.tracker(t, true);
    dash.datasetGroup(t.groupArn);
  }
  dash.datasetGroup(detailed[1]!.groupArn);
  dash.datasetGroup(detailed[3]!.groupArn);
  for (const t of summaryTrackers) dash.tracker(t, false);
  for (const e of [...dashboardEvents, dashboardEvents[0]!, dashboardEvents[1]!, ...nodesEvents]) dash.internetEvent(e);
  const dashboardDemand = dash.build();

  // Entities: 50 ARNs a router might send in one batch, picked at random (seeded) across the whole data set.
  const entityStreams = [
    ...seededPick(data.streams(regionA, domainC), 10, seed),
    ...seededPick(data.streams(regionB, domainD), 10, seed + 1),
  ];
  const entityTrackers = [
    ...seededPick(data.trackers(regionA), 8, seed + 2),
    ...seededPick(data.trackers(regionC), 7, seed + 3),
  ];
  const entityEvents = seededPick(events, 15, seed + 4);
  const entityArns = [
    ...entityStreams.map((s) => s.arn),
    ...entityTrackers.map((t) => t.arn),
    ...entityEvents.map((e) => e.arn),
  ];
  const ent = new DemandBuilder();
  for (const s of entityStreams) ent.stream(s);
  for (const t of entityTrackers) ent.tracker(t, false);
  for (const e of entityEvents) ent.internetEvent(e);
  const entitiesDemand = ent.build();
  const representations = [
    ...entityStreams.map((s) => ({ __typename: 'EventStream', arn: s.arn })),
    ...entityTrackers.map((t) => ({ __typename: 'EventTracker', arn: t.arn })),
    ...entityEvents.map((e) => ({ __typename: 'InternetEvent', arn: e.arn })),
  ];

  const scenario = (s: Omit<Scenario, 'query' | 'references' | 'distinctResources'>): Scenario => ({
    ...s,
    query: operation(s.operationFile),
    ...counts(s.demand),
  });
  return [
    scenario({
      id: 'single-lookup',
      title: 'Single lookup (cold)',
      operationFile: 'single-lookup.graphql',
      variables: { region: single.region, domainName: single.domainName, name: single.name },
      cache: 'cold',
      demand: singleDemand.build(),
    }),
    scenario({
      id: 'list-page',
      title: 'List page of 25 (cold)',
      operationFile: 'list-page.graphql',
      variables: { region: regionB, domainName: domainD, first: 25 },
      cache: 'cold',
      demand: listDemand.build(),
    }),
    scenario({
      id: 'dashboard-cold',
      title: 'Dashboard (cold)',
      operationFile: 'dashboard.graphql',
      variables: dashboardVariables,
      cache: 'cold',
      demand: dashboardDemand,
    }),
    scenario({
      id: 'dashboard-warm',
      title: 'Dashboard (warm cache)',
      operationFile: 'dashboard.graphql',
      variables: dashboardVariables,
      cache: 'warm',
      demand: dashboardDemand,
    }),
    scenario({
      id: 'entities-nodes',
      title: '50 entities by ARN via nodes (cold)',
      operationFile: 'entities-nodes.graphql',
      variables: { ids: entityArns },
      cache: 'cold',
      demand: entitiesDemand,
    }),
    scenario({
      id: 'entities-federation',
      title: '50 entities via _entities (cold)',
      operationFile: 'entities-federation.graphql',
      variables: { representations },
      cache: 'cold',
      demand: entitiesDemand,
    }),
  ];
}

/** The lists the minimums depend on: every list some scenario's demand can use. */
export function listsToWalk(scenarios: readonly Scenario[]): string[] {
  const ids = new Set<string>();
  for (const s of scenarios) for (const g of s.demand) if (g.listId) ids.add(g.listId);
  return [...ids];
}
