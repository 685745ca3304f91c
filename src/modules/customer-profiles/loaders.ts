import { GetEventStreamCommand, ListEventStreamsCommand } from '@aws-sdk/client-customer-profiles';
import DataLoader from 'dataloader';
import { nullIfNotFound } from '../../aws/errors.js';
import type { LoaderDeps } from '../../context.js';
import type { AwsPage } from '../../pagination.js';
import { getEach, groupBy, listOrGet } from '../../planner.js';
import { type EventStreamKey, type EventStreamModel, eventStreamKeyId, toEventStream, toEventStreamFromSummary } from './mappers.js';

function keyFromId(id: string): EventStreamKey {
  const [region, domainName, name] = id.split('/') as [string, string, string];
  return { region, domainName, name };
}

export function createCustomerProfilesLoaders(deps: LoaderDeps) {
  const client = (region: string) => deps.clients.get('profile', region);

  async function getEventStream(key: EventStreamKey): Promise<EventStreamModel | null> {
    const out = await nullIfNotFound(
      deps.aws.call({ service: 'profile', operation: 'GetEventStream', region: key.region }, deps.ledger, (abortSignal) =>
        client(key.region).send(new GetEventStreamCommand({ DomainName: key.domainName, EventStreamName: key.name }), { abortSignal }),
      ),
    );
    return out && toEventStream(key, out);
  }

  /** One ListEventStreams page; its summaries lack CreatedAt and the destination message. */
  async function listEventStreamsPage(region: string, domainName: string, token: string | undefined, maxResults: number): Promise<AwsPage<EventStreamModel>> {
    const page = await deps.cache.list(`profile:ListEventStreams:${region}/${domainName}:${maxResults}:${token ?? ''}`, deps.cacheBypass, async () => {
      const out = await deps.aws.call({ service: 'profile', operation: 'ListEventStreams', region }, deps.ledger, (abortSignal) =>
        client(region).send(new ListEventStreamsCommand({ DomainName: domainName, NextToken: token, MaxResults: maxResults }), { abortSignal }),
      );
      return { items: (out.Items ?? []).map((s) => toEventStreamFromSummary(region, s)), nextToken: out.NextToken || undefined };
    });
    for (const item of page.items) eventStreamSummary.prime(item.key, item);
    return page;
  }

  /** Complete event streams (every field), by (region, domain, name); null when AWS has no such stream. */
  const eventStream = new DataLoader<EventStreamKey, EventStreamModel | null, string>(
    async (keys) => {
      deps.metrics.loaderBatchSize.observe({ loader: 'eventStream' }, keys.length);
      return deps.cache.resolve('EventStream', keys.map(eventStreamKeyId), { bypass: deps.cacheBypass, level: 'full', accept: (s) => s.complete }, (ids) =>
        getEach(ids, (id) => getEventStream(keyFromId(id))),
      );
    },
    { cacheKeyFn: eventStreamKeyId },
  );

  /**
   * Event streams with at least the list-summary fields. Keys of one domain are answered by ListEventStreams pages
   * when that costs fewer calls than one GetEventStream each (see planner.ts).
   */
  const eventStreamSummary = new DataLoader<EventStreamKey, EventStreamModel | null, string>(
    async (keys) => {
      deps.metrics.loaderBatchSize.observe({ loader: 'eventStreamSummary' }, keys.length);
      return deps.cache.resolve('EventStream', keys.map(eventStreamKeyId), { bypass: deps.cacheBypass }, async (ids) => {
        const results = new Map<string, EventStreamModel | null | Error>();
        const groups = groupBy(ids, (id) => id.slice(0, id.lastIndexOf('/')));
        await Promise.all(
          [...groups.values()].map(async (group) => {
            const { region, domainName } = keyFromId(group[0]!);
            const found = await listOrGet<EventStreamModel>({
              ids: group,
              idOf: (s) => eventStreamKeyId(s.key),
              listPage: (token) => listEventStreamsPage(region, domainName, token, 100),
              getOne: (id) => getEventStream(keyFromId(id)),
              listIsExhaustive: true,
            });
            for (const [id, value] of found) results.set(id, value);
          }),
        );
        return results;
      });
    },
    { cacheKeyFn: eventStreamKeyId },
  );

  return { eventStream, eventStreamSummary, listEventStreamsPage };
}
