import DataLoader from 'dataloader';
import { isNotFound } from '../../aws/errors.js';
import type { LoaderDeps } from '../../context.js';
import { settle } from '../../loader-utils.js';
import type { AwsPage } from '../../pagination.js';
import { GetInternetEventCommand, ListInternetEventsCommand } from './commands.js';
import { type InternetEventModel, toInternetEvent } from './mappers.js';

export interface InternetEventFilter {
  startTime?: Date;
  endTime?: Date;
  status?: string;
  type?: string;
}

export function createInternetMonitorLoaders(deps: LoaderDeps) {
  // Internet events are global: every region serves the same set, so one configured region answers them all.
  const region = deps.config.aws.internetMonitorRegion;
  const client = () => deps.clients.get('internetmonitor', region);

  async function getInternetEvent(eventId: string): Promise<InternetEventModel | null> {
    try {
      const out = await deps.aws.call({ service: 'internetmonitor', operation: 'GetInternetEvent', region }, deps.ledger, (abortSignal) =>
        client().send(new GetInternetEventCommand({ EventId: eventId }), { abortSignal }),
      );
      return toInternetEvent(out);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  const internetEvent = new DataLoader<string, InternetEventModel | null>((ids) => settle(ids, getInternetEvent));

  /** One ListInternetEvents page. Its summaries are complete, so they prime `internetEvent`. */
  async function listInternetEventsPage(filter: InternetEventFilter, token: string | undefined, maxResults: number): Promise<AwsPage<InternetEventModel>> {
    const out = await deps.aws.call({ service: 'internetmonitor', operation: 'ListInternetEvents', region }, deps.ledger, (abortSignal) =>
      client().send(
        new ListInternetEventsCommand({
          NextToken: token,
          MaxResults: maxResults,
          StartTime: filter.startTime,
          EndTime: filter.endTime,
          EventStatus: filter.status,
          EventType: filter.type,
        }),
        { abortSignal },
      ),
    );
    const items = (out.InternetEvents ?? []).map(toInternetEvent);
    for (const event of items) internetEvent.prime(event.eventId, event);
    return { items, nextToken: out.NextToken || undefined };
  }

  return { internetEvent, listInternetEventsPage };
}
