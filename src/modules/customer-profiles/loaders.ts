import { GetEventStreamCommand, ListEventStreamsCommand } from '@aws-sdk/client-customer-profiles';
import DataLoader from 'dataloader';
import { isNotFound } from '../../aws/errors.js';
import type { LoaderDeps } from '../../context.js';
import { settle } from '../../loader-utils.js';
import type { AwsPage } from '../../pagination.js';
import { type EventStreamKey, type EventStreamModel, eventStreamKeyId, toEventStream, toEventStreamFromSummary } from './mappers.js';

export function createCustomerProfilesLoaders(deps: LoaderDeps) {
  const client = (region: string) => deps.clients.get('profile', region);

  async function getEventStream(key: EventStreamKey): Promise<EventStreamModel | null> {
    try {
      const out = await deps.aws.call({ service: 'profile', operation: 'GetEventStream', region: key.region }, deps.ledger, (abortSignal) =>
        client(key.region).send(new GetEventStreamCommand({ DomainName: key.domainName, EventStreamName: key.name }), { abortSignal }),
      );
      return toEventStream(key, out);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Complete event streams by (region, domain, name); null when AWS has no such stream. */
  const eventStream = new DataLoader<EventStreamKey, EventStreamModel | null, string>((keys) => settle(keys, getEventStream), {
    cacheKeyFn: eventStreamKeyId,
  });

  /** One ListEventStreams page; its summaries lack CreatedAt and the destination message. */
  async function listEventStreamsPage(region: string, domainName: string, token: string | undefined, maxResults: number): Promise<AwsPage<EventStreamModel>> {
    const out = await deps.aws.call({ service: 'profile', operation: 'ListEventStreams', region }, deps.ledger, (abortSignal) =>
      client(region).send(new ListEventStreamsCommand({ DomainName: domainName, NextToken: token, MaxResults: maxResults }), { abortSignal }),
    );
    return { items: (out.Items ?? []).map((s) => toEventStreamFromSummary(region, s)), nextToken: out.NextToken || undefined };
  }

  return { eventStream, listEventStreamsPage };
}
