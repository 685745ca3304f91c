import type { InternetMonitorClient } from '@aws-sdk/client-internetmonitor';
import DataLoader from 'dataloader';
import { nullIfNotFound } from '../../errors.js';
import { type LoaderDeps, perRequest, scopeOf } from '../../context.js';
import type { AwsPage } from '../../pagination.js';
import { listOrGet, listOrGetMaxCalls } from '../../planner.js';
import { type ResourceIdentity, identityKey, listIdentity } from '../../resource/identity.js';
import { SERVICE, internetEventIdentity } from './arns.js';
import { GetInternetEventCommand, ListInternetEventsCommand } from './commands.js';
import { type InternetEventModel, toInternetEvent } from './mappers.js';

export interface InternetEventFilter {
  startTime?: Date;
  endTime?: Date;
  status?: string;
  type?: string;
}

/**
 * The plan the loader below executes, as an AWS-call bound: all ids of one account are one list (events are
 * global), answered by list pages or Gets (planner.ts).
 */
export const internetEventPlans = {
  events: (keys: readonly ResourceIdentity[]) => {
    const accounts = new Map<string, number>();
    for (const key of keys) accounts.set(key.accountId, (accounts.get(key.accountId) ?? 0) + 1);
    return [...accounts.values()].reduce((sum, count) => sum + listOrGetMaxCalls(count), 0);
  },
  one: listOrGetMaxCalls(1),
};

/**
 * AWS documents no order for ListInternetEvents; the gateway sorts each page it reads newest first (by start time,
 * then by id). The connection always reads whole pages of 100, so one token always gives one order and a cursor
 * into a page resumes where it was; from one AWS page to the next the order is AWS's.
 */
export function newestFirst(events: InternetEventModel[]): InternetEventModel[] {
  const time = (e: InternetEventModel) => e.startedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return events.sort((a, b) => time(b) - time(a) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

function createInternetEventLoaders(deps: LoaderDeps) {
  // Internet events are global: every region serves the same set, so one configured region answers them all.
  const region = deps.config.aws.globalRegion;
  const client = () => deps.clients.get(SERVICE, region) as unknown as InternetMonitorClient;
  const site = (operation: string, accountId: string, resource?: string) => ({
    service: SERVICE,
    operation,
    region,
    accountId,
    ...(resource ? { resource } : {}),
  });

  async function getInternetEvent(identity: ResourceIdentity): Promise<InternetEventModel | null> {
    const out = await nullIfNotFound(
      deps.aws.call(
        site('GetInternetEvent', identity.accountId, `internet event ${identity.id}`),
        deps.ledger,
        (abortSignal) => client().send(new GetInternetEventCommand({ EventId: identity.id }), { abortSignal }),
      ),
    );
    return out && toInternetEvent(out);
  }

  /** One ListInternetEvents page. Its summaries are complete, so they prime `internetEvent`. */
  async function listInternetEventsPage(
    filter: InternetEventFilter,
    token: string | undefined,
    maxResults: number,
  ): Promise<AwsPage<InternetEventModel>> {
    const scope = scopeOf(deps);
    const pageId = listIdentity(
      scope,
      SERVICE,
      '',
      'ListInternetEvents',
      filter.startTime?.toISOString(),
      filter.endTime?.toISOString(),
      filter.status,
      filter.type,
      maxResults,
      token,
    );
    const page = await deps.cache.list(pageId, deps.cacheBypass, async () => {
      const out = await deps.aws.call(site('ListInternetEvents', scope.accountId), deps.ledger, (abortSignal) =>
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
      return {
        items: newestFirst((out.InternetEvents ?? []).map(toInternetEvent)),
        nextToken: out.NextToken || undefined,
      };
    });
    for (const event of page.items) internetEvent.prime(internetEventIdentity(scope, event.eventId), event);
    return page;
  }

  /**
   * Internet events by identity. Several ids may be answered by ListInternetEvents pages (planner.ts); ids the list
   * did not return are fetched one by one, since the list only covers a time window whose length AWS does not
   * document.
   */
  const internetEvent = new DataLoader<ResourceIdentity, InternetEventModel | null, string>(
    async (keys) => {
      deps.metrics.loaderBatchSize.observe({ loader: 'internetEvent' }, keys.length);
      // async: a scope error becomes every key's error, not a rejected batch.
      return deps.cache.resolve(keys, { bypass: deps.cacheBypass }, async (missing) => {
        const { partition, accountId } = scopeOf(deps);
        return listOrGet<InternetEventModel, ResourceIdentity>({
          keys: missing,
          keyOf: identityKey,
          idOf: (e) => identityKey(internetEventIdentity(scopeOf(deps), e.eventId)),
          listPage: (token) => listInternetEventsPage({}, token, 100),
          getOne: getInternetEvent,
          listIsExhaustive: false,
          firstPages: { memo: deps.firstPages, listKey: `ListInternetEvents:${partition}:${accountId}` },
        });
      });
    },
    { cacheKeyFn: identityKey },
  );

  return { internetEvent, listInternetEventsPage };
}

/** This request's Internet Monitor loaders. */
export const internetEventLoaders = perRequest(createInternetEventLoaders);
