import {
  type CustomerProfilesClient,
  GetEventStreamCommand,
  ListEventStreamsCommand,
} from '@aws-sdk/client-customer-profiles';
import DataLoader from 'dataloader';
import { nullIfNotFound } from '../../errors.js';
import { type LoaderDeps, perRequest, scopeOf } from '../../context.js';
import type { AwsPage } from '../../pagination.js';
import { getEach, getEachMaxCalls, groupBy, listOrGet, listOrGetMaxCalls } from '../../planner.js';
import { type ResourceIdentity, identityKey, listIdentity } from '../../resource/identity.js';
import { SERVICE, domainOf, eventStreamNames } from './arns.js';
import { type EventStreamModel, toEventStream, toEventStreamFromSummary } from './mappers.js';

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
};

function createEventStreamLoaders(deps: LoaderDeps) {
  const client = (region: string) => deps.clients.get(SERVICE, region) as unknown as CustomerProfilesClient;
  const site = (operation: string, identity: { region: string; accountId: string }, resource: string) => ({
    service: SERVICE,
    operation,
    region: identity.region,
    accountId: identity.accountId,
    resource,
  });

  async function getEventStream(identity: ResourceIdentity): Promise<EventStreamModel | null> {
    const { domainName, name } = eventStreamNames(identity);
    const out = await nullIfNotFound(
      deps.aws.call(
        site('GetEventStream', identity, `event stream ${name} of domain ${domainName}`),
        deps.ledger,
        (abortSignal) =>
          client(identity.region).send(new GetEventStreamCommand({ DomainName: domainName, EventStreamName: name }), {
            abortSignal,
          }),
      ),
    );
    return out && toEventStream(identity, out);
  }

  /** One ListEventStreams page; its summaries lack CreatedAt and the destination message. */
  async function listEventStreamsPage(
    region: string,
    domainName: string,
    token: string | undefined,
    maxResults: number,
  ): Promise<AwsPage<EventStreamModel>> {
    const scope = scopeOf(deps);
    const pageId = listIdentity(scope, SERVICE, region, 'ListEventStreams', domainName, maxResults, token);
    const page = await deps.cache.list(pageId, deps.cacheBypass, async () => {
      const out = await deps.aws.call(
        site('ListEventStreams', { region, accountId: scope.accountId }, `domain ${domainName}`),
        deps.ledger,
        (abortSignal) =>
          client(region).send(
            new ListEventStreamsCommand({ DomainName: domainName, NextToken: token, MaxResults: maxResults }),
            {
              abortSignal,
            },
          ),
      );
      return {
        items: (out.Items ?? []).map((s) => toEventStreamFromSummary(scope, region, s)),
        nextToken: out.NextToken || undefined,
      };
    });
    for (const item of page.items) eventStreamSummary.prime(item.identity, item);
    return page;
  }

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
              listPage: (token) => listEventStreamsPage(first.region, domainName, token, 100),
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

  return { eventStream, eventStreamSummary, listEventStreamsPage };
}

/** This request's event stream loaders. */
export const eventStreamLoaders = perRequest(createEventStreamLoaders);
