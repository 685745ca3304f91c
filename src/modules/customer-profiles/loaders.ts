import {
  type CustomerProfilesClient,
  GetEventStreamCommand,
  ListDomainsCommand,
  ListEventStreamsCommand,
} from '@aws-sdk/client-customer-profiles';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import DataLoader from 'dataloader';
import type { Scope } from '../../estate.js';
import { nullIfNotFound } from '../../errors.js';
import { type LoaderDeps, perRequest } from '../../context.js';
import type { AwsPage } from '../../pagination.js';
import { getEach, getEachMaxCalls, groupBy, listOrGet, listOrGetMaxCalls } from '../../planner.js';
import { type ResourceIdentity, identityKey, listIdentity } from '../../resource/identity.js';
import { KINESIS, SERVICE, domainOf, eventStreamNames, kinesisStreamArnOf } from './arns.js';
import {
  type DomainModel,
  type EventStreamModel,
  type KinesisStreamModel,
  toDomain,
  toEventStream,
  toEventStreamFromSummary,
  toKinesisStream,
} from './mappers.js';

/** ListDomains pages read per scope when streams of every domain are listed (100 domains each; AWS's quota is 100). */
export const DOMAIN_LIST_PAGES = 2;
/** ListDomains' largest page: every read of a scope's domains asks for it. */
export const DOMAIN_PAGE_SIZE = 100;

/**
 * The plans the loaders below execute, as AWS-call bounds: the preflight's cost estimate is computed from these,
 * so it cannot drift from what the loaders do.
 */
export const eventStreamPlans = {
  /** Complete streams: one GetEventStream each. */
  full: (keys: readonly ResourceIdentity[]) => getEachMaxCalls(keys.length),
  /** Summaries: per domain, list pages or Gets (planner.ts). */
  summary: (keys: readonly ResourceIdentity[]) =>
    [...groupBy(keys, domainOf).values()].reduce((sum, group) => sum + listOrGetMaxCalls(group.length), 0),
  /** One stream by key, whichever of the two loaders answers it. */
  one: Math.max(getEachMaxCalls(1), listOrGetMaxCalls(1)),
  /** The Kinesis stream behind a destination: one DescribeStreamSummary per distinct stream. */
  kinesisStream: getEachMaxCalls(1),
};

function createEventStreamLoaders(deps: LoaderDeps) {
  const client = (where: { accountId: string; region: string }) =>
    deps.clients.get(SERVICE, where.region, { accountId: where.accountId }) as unknown as CustomerProfilesClient;
  const kinesis = (where: { accountId: string; region: string }) =>
    deps.clients.get(KINESIS, where.region, { accountId: where.accountId }) as unknown as KinesisClient;
  const site = (
    operation: string,
    identity: { region: string; accountId: string },
    resource: string,
    service: string = SERVICE,
  ) => ({ service, operation, region: identity.region, accountId: identity.accountId, resource });

  async function getEventStream(identity: ResourceIdentity): Promise<EventStreamModel | null> {
    const { domainName, name } = eventStreamNames(identity);
    const out = await nullIfNotFound(
      deps.aws.call(
        site('GetEventStream', identity, `event stream ${name} of domain ${domainName}`),
        deps.ledger,
        (abortSignal) =>
          client(identity).send(new GetEventStreamCommand({ DomainName: domainName, EventStreamName: name }), {
            abortSignal,
          }),
      ),
    );
    return out && toEventStream(identity, out);
  }

  /**
   * One ListEventStreams page of a domain in `where` (an account's region); its summaries lack CreatedAt and the
   * destination message.
   */
  async function listEventStreamsPage(
    where: Scope,
    domainName: string,
    token: string | undefined,
    maxResults: number,
  ): Promise<AwsPage<EventStreamModel>> {
    const { region } = where;
    const pageId = listIdentity(where, SERVICE, region, 'ListEventStreams', domainName, maxResults, token);
    const page = await deps.cache.list(pageId, deps.cacheBypass, async () => {
      const out = await deps.aws.call(
        site('ListEventStreams', where, `domain ${domainName}`),
        deps.ledger,
        (abortSignal) =>
          client(where).send(
            new ListEventStreamsCommand({ DomainName: domainName, NextToken: token, MaxResults: maxResults }),
            { abortSignal },
          ),
      );
      return {
        items: (out.Items ?? []).map((s) => toEventStreamFromSummary(where, region, s)),
        nextToken: out.NextToken || undefined,
      };
    });
    for (const item of page.items) eventStreamSummary.prime(item.identity, item);
    return page;
  }

  /** One ListDomains page of an account's region. */
  async function listDomainsPage(
    where: Scope,
    token: string | undefined,
    maxResults: number,
  ): Promise<AwsPage<DomainModel>> {
    const pageId = listIdentity(where, SERVICE, where.region, 'ListDomains', '', maxResults, token);
    return deps.cache.list(pageId, deps.cacheBypass, async () => {
      const out = await deps.aws.call(site('ListDomains', where, 'the domains'), deps.ledger, (abortSignal) =>
        client(where).send(new ListDomainsCommand({ NextToken: token, MaxResults: maxResults }), { abortSignal }),
      );
      return { items: (out.Items ?? []).map((d) => toDomain(where, d)), nextToken: out.NextToken || undefined };
    });
  }

  /** The names of every domain of an account's region, at most DOMAIN_LIST_PAGES pages of them. */
  async function domainNamesOf(where: Scope): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    for (let pages = 0; pages < DOMAIN_LIST_PAGES; pages++) {
      const page = await listDomainsPage(where, token, DOMAIN_PAGE_SIZE);
      names.push(...page.items.map((d) => d.name));
      token = page.nextToken;
      if (!token) break;
    }
    return names;
  }

  async function describeStreamSummary(identity: ResourceIdentity): Promise<KinesisStreamModel | null> {
    const arn = kinesisStreamArnOf(identity);
    const out = await nullIfNotFound(
      deps.aws.call(
        site('DescribeStreamSummary', identity, `Kinesis stream ${identity.id}`, KINESIS),
        deps.ledger,
        (abortSignal) => kinesis(identity).send(new DescribeStreamSummaryCommand({ StreamARN: arn }), { abortSignal }),
      ),
    );
    const summary = out?.StreamDescriptionSummary;
    if (!summary) return null;
    return toKinesisStream({ accountId: identity.accountId, region: identity.region, arn, name: identity.id }, summary);
  }

  /** Kinesis streams by identity: each distinct stream of a request is described once, and cached by its status. */
  const kinesisStream = new DataLoader<ResourceIdentity, KinesisStreamModel | null, string>(
    async (keys) => {
      deps.metrics.loaderBatchSize.observe({ loader: 'kinesisStream' }, keys.length);
      return deps.cache.resolve(keys, { bypass: deps.cacheBypass }, (missing) =>
        getEach(missing, identityKey, describeStreamSummary),
      );
    },
    { cacheKeyFn: identityKey },
  );

  /** Complete event streams (every field), by identity; null when AWS has no such stream. */
  const eventStream = new DataLoader<ResourceIdentity, EventStreamModel | null, string>(
    async (keys) => {
      deps.metrics.loaderBatchSize.observe({ loader: 'eventStream' }, keys.length);
      return deps.cache.resolve(
        keys,
        { bypass: deps.cacheBypass, level: 'full', accept: (s: EventStreamModel) => s.complete },
        (missing) => getEach(missing, identityKey, getEventStream),
      );
    },
    { cacheKeyFn: identityKey },
  );

  /**
   * Event streams with at least the list-summary fields. Keys of one domain are answered by ListEventStreams pages
   * when that costs fewer calls than one GetEventStream each (see planner.ts).
   */
  const eventStreamSummary = new DataLoader<ResourceIdentity, EventStreamModel | null, string>(
    async (keys) => {
      deps.metrics.loaderBatchSize.observe({ loader: 'eventStreamSummary' }, keys.length);
      return deps.cache.resolve(keys, { bypass: deps.cacheBypass }, async (missing) => {
        const results = new Map<string, EventStreamModel | null | Error>();
        await Promise.all(
          [...groupBy(missing, domainOf).values()].map(async (group) => {
            const [first] = group;
            if (!first) return;
            const { domainName } = eventStreamNames(first);
            const found = await listOrGet<EventStreamModel, ResourceIdentity>({
              keys: group,
              keyOf: identityKey,
              idOf: (s) => identityKey(s.identity),
              listPage: (token) => listEventStreamsPage(first, domainName, token, 100),
              getOne: getEventStream,
              listIsExhaustive: true,
              firstPages: { memo: deps.firstPages, listKey: `ListEventStreams:${domainOf(first)}` },
            });
            for (const [id, value] of found) results.set(id, value);
          }),
        );
        return results;
      });
    },
    { cacheKeyFn: identityKey },
  );

  return { eventStream, eventStreamSummary, kinesisStream, listEventStreamsPage, listDomainsPage, domainNamesOf };
}

/** This request's event stream loaders. */
export const eventStreamLoaders = perRequest(createEventStreamLoaders);
