import DataLoader from 'dataloader';
import { nullIfNotFound } from '../../aws/errors.js';
import type { LoaderDeps } from '../../context.js';
import type { AwsPage } from '../../pagination.js';
import { listOrGet } from '../../planner.js';
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
    const out = await nullIfNotFound(
      deps.aws.call({ service: 'internetmonitor', operation: 'GetInternetEvent', region }, deps.ledger, (abortSignal) =>
        client().send(new GetInternetEventCommand({ EventId: eventId }), { abortSignal }),
      ),
    );
    return out && toInternetEvent(out);
  }

  /** One ListInternetEvents page. Its summaries are complete, so they prime `internetEvent`. */
  async function listInternetEventsPage(filter: InternetEventFilter, token: string | undefined, maxResults: number): Promise<AwsPage<InternetEventModel>> {
    const id = `internetmonitor:ListInternetEvents:${filter.startTime?.toISOString() ?? ''}/${filter.endTime?.toISOString() ?? ''}/${filter.status ?? ''}/${filter.type ?? ''}:${maxResults}:${token ?? ''}`;
    const page = await deps.cache.list(id, deps.cacheBypass, async () => {
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
      return { items: (out.InternetEvents ?? []).map(toInternetEvent), nextToken: out.NextToken || undefined };
    });
    for (const event of page.items) internetEvent.prime(event.eventId, event);
    return page;
  }

  /**
   * Internet events by id. Several ids may be answered by ListInternetEvents pages (planner.ts); ids the list did not
   * return are fetched one by one, since the list only covers a time window whose length AWS does not document.
   */
  const internetEvent = new DataLoader<string, InternetEventModel | null>(async (ids) => {
    deps.metrics.loaderBatchSize.observe({ loader: 'internetEvent' }, ids.length);
    return deps.cache.resolve('InternetEvent', ids, { bypass: deps.cacheBypass }, (missing) =>
      listOrGet<InternetEventModel>({
        ids: missing,
        idOf: (e) => e.eventId,
        listPage: (token) => listInternetEventsPage({}, token, 100),
        getOne: getInternetEvent,
        listIsExhaustive: false,
      }),
    );
  });

  return { internetEvent, listInternetEventsPage };
}
