import { type CustomerProfilesClient, ListEventStreamsCommand } from '@aws-sdk/client-customer-profiles';
import type { InternetMonitorClient } from '@aws-sdk/client-internetmonitor';
import { ListEventTrackersCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { ClientRegistry } from '../../src/aws/clients.js';
import { buildCatalog } from '../../src/catalog.js';
import { modules } from '../../src/modules/index.js';
import { loadConfig } from '../../src/config.js';
import { ListInternetEventsCommand } from '../../src/modules/internet-monitor/commands.js';
import type { ListOrders } from './minimum.js';
import { INTERNET_EVENT_LIST_ID } from './scenarios.js';

const PAGE_SIZE = 100;
const MAX_PAGES = 1_000;

/**
 * Walks each list once through the emulator's real API (pages of 100, as AWS allows at most) and records on which
 * page every item comes back: the minimums are derived from what the lists actually return, not from an assumption
 * about their order. Run before measuring; the caller resets the emulator's counters afterwards.
 */
export async function walkLists(endpointUrl: string, listIds: readonly string[]): Promise<ListOrders> {
  const base = loadConfig('demo', { LOG_LEVEL: 'silent' });
  const clients = new ClientRegistry({ ...base.aws, endpointUrl }, buildCatalog(modules).awsServices);
  const orders = new Map<string, Map<string, number>>();
  try {
    for (const listId of listIds) {
      const order = new Map<string, number>();
      orders.set(listId, order);
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const { ids, next } = await listPage(clients, base.aws.globalRegion, listId, token);
        for (const id of ids) if (!order.has(id)) order.set(id, page);
        token = next;
        if (!token) break;
      }
    }
  } finally {
    clients.destroy();
  }
  return orders;
}

async function listPage(
  clients: ClientRegistry,
  internetMonitorRegion: string,
  listId: string,
  token: string | undefined,
): Promise<{ ids: string[]; next?: string }> {
  const [service, operation, scope = ''] = listId.split(':');
  if (service === 'profile' && operation === 'ListEventStreams') {
    const [region, domainName] = scope.split('/') as [string, string];
    const out = await (clients.get('profile', region) as unknown as CustomerProfilesClient).send(
      new ListEventStreamsCommand({ DomainName: domainName, MaxResults: PAGE_SIZE, NextToken: token }),
    );
    return {
      ids: (out.Items ?? []).map((s) => `${region}/${s.DomainName}/${s.EventStreamName}`),
      next: out.NextToken || undefined,
    };
  }
  if (service === 'personalize' && operation === 'ListEventTrackers') {
    const out = await (clients.get('personalize', scope) as unknown as PersonalizeClient).send(
      new ListEventTrackersCommand({ maxResults: PAGE_SIZE, nextToken: token }),
    );
    return { ids: (out.eventTrackers ?? []).map((t) => t.eventTrackerArn ?? ''), next: out.nextToken || undefined };
  }
  if (listId === INTERNET_EVENT_LIST_ID) {
    const out = await (clients.get('internetmonitor', internetMonitorRegion) as unknown as InternetMonitorClient).send(
      new ListInternetEventsCommand({ MaxResults: PAGE_SIZE, NextToken: token }),
    );
    return { ids: (out.InternetEvents ?? []).map((e) => e.EventId ?? ''), next: out.NextToken || undefined };
  }
  throw new Error(`Unknown list ${listId}`);
}
