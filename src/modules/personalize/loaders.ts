import { DescribeDatasetGroupCommand, DescribeEventTrackerCommand, ListEventTrackersCommand } from '@aws-sdk/client-personalize';
import DataLoader from 'dataloader';
import { parsePersonalizeArn } from '../../aws/arn.js';
import { nullIfNotFound } from '../../aws/errors.js';
import type { LoaderDeps } from '../../context.js';
import type { AwsPage } from '../../pagination.js';
import { getEach, groupBy, listOrGet } from '../../planner.js';
import { type DatasetGroupModel, type EventTrackerModel, toDatasetGroup, toEventTracker, toEventTrackerFromSummary } from './mappers.js';

/** Loader keys are ARNs already checked by the resolvers; the region always comes from the ARN. */
function regionOf(arn: string, fallback: string): string {
  return parsePersonalizeArn(arn)?.region ?? fallback;
}

export function createPersonalizeLoaders(deps: LoaderDeps) {
  const client = (region: string) => deps.clients.get('personalize', region);
  const fallbackRegion = deps.config.aws.defaultRegion;

  async function describeEventTracker(arn: string): Promise<EventTrackerModel | null> {
    const region = regionOf(arn, fallbackRegion);
    const out = await nullIfNotFound(
      deps.aws.call({ service: 'personalize', operation: 'DescribeEventTracker', region }, deps.ledger, (abortSignal) =>
        client(region).send(new DescribeEventTrackerCommand({ eventTrackerArn: arn }), { abortSignal }),
      ),
    );
    return out?.eventTracker ? toEventTracker(arn, out.eventTracker, region) : null;
  }

  async function describeDatasetGroup(arn: string): Promise<DatasetGroupModel | null> {
    const region = regionOf(arn, fallbackRegion);
    const out = await nullIfNotFound(
      deps.aws.call({ service: 'personalize', operation: 'DescribeDatasetGroup', region }, deps.ledger, (abortSignal) =>
        client(region).send(new DescribeDatasetGroupCommand({ datasetGroupArn: arn }), { abortSignal }),
      ),
    );
    return out?.datasetGroup ? toDatasetGroup(arn, out.datasetGroup, region) : null;
  }

  /** One ListEventTrackers page, all trackers of a region or those of one dataset group. */
  async function listEventTrackersPage(
    region: string,
    datasetGroupArn: string | null,
    token: string | undefined,
    maxResults: number,
  ): Promise<AwsPage<EventTrackerModel>> {
    const id = `personalize:ListEventTrackers:${region}/${datasetGroupArn ?? '*'}:${maxResults}:${token ?? ''}`;
    const page = await deps.cache.list(id, deps.cacheBypass, async () => {
      const out = await deps.aws.call({ service: 'personalize', operation: 'ListEventTrackers', region }, deps.ledger, (abortSignal) =>
        client(region).send(new ListEventTrackersCommand({ datasetGroupArn: datasetGroupArn ?? undefined, nextToken: token, maxResults }), {
          abortSignal,
        }),
      );
      return {
        items: (out.eventTrackers ?? []).map((s) => toEventTrackerFromSummary(s, region, datasetGroupArn)),
        nextToken: out.nextToken || undefined,
      };
    });
    for (const item of page.items) eventTrackerSummary.prime(item.arn, item);
    return page;
  }

  async function listAllEventTrackersOfGroup(datasetGroupArn: string): Promise<EventTrackerModel[]> {
    const region = regionOf(datasetGroupArn, fallbackRegion);
    const trackers: EventTrackerModel[] = [];
    let token: string | undefined;
    do {
      const page = await listEventTrackersPage(region, datasetGroupArn, token, 100);
      trackers.push(...page.items);
      token = page.nextToken;
    } while (token);
    return trackers;
  }

  /** Complete event trackers (trackingId, datasetGroupArn included) by ARN. */
  const eventTracker = new DataLoader<string, EventTrackerModel | null>(async (arns) => {
    deps.metrics.loaderBatchSize.observe({ loader: 'eventTracker' }, arns.length);
    return deps.cache.resolve('EventTracker', arns, { bypass: deps.cacheBypass, level: 'full', accept: (t) => t.complete }, (ids) =>
      getEach(ids, describeEventTracker),
    );
  });

  /** Event trackers with at least the list-summary fields; trackers of one region may come from ListEventTrackers pages. */
  const eventTrackerSummary = new DataLoader<string, EventTrackerModel | null>(async (arns) => {
    deps.metrics.loaderBatchSize.observe({ loader: 'eventTrackerSummary' }, arns.length);
    return deps.cache.resolve('EventTracker', arns, { bypass: deps.cacheBypass }, async (ids) => {
      const results = new Map<string, EventTrackerModel | null | Error>();
      await Promise.all(
        [...groupBy(ids, (arn) => regionOf(arn, fallbackRegion)).entries()].map(async ([region, group]) => {
          const found = await listOrGet<EventTrackerModel>({
            ids: group,
            idOf: (t) => t.arn,
            listPage: (token) => listEventTrackersPage(region, null, token, 100),
            getOne: describeEventTracker,
            listIsExhaustive: true,
          });
          for (const [id, value] of found) results.set(id, value);
        }),
      );
      return results;
    });
  });

  const datasetGroup = new DataLoader<string, DatasetGroupModel | null>(async (arns) => {
    deps.metrics.loaderBatchSize.observe({ loader: 'datasetGroup' }, arns.length);
    return deps.cache.resolve('DatasetGroup', arns, { bypass: deps.cacheBypass }, (ids) => getEach(ids, describeDatasetGroup));
  });

  /** The trackers of a dataset group, by group ARN: many parents asking for the same group cost one list. */
  const eventTrackersOfGroup = new DataLoader<string, EventTrackerModel[]>(async (arns) => {
    deps.metrics.loaderBatchSize.observe({ loader: 'eventTrackersOfGroup' }, arns.length);
    return Promise.all(arns.map((arn) => listAllEventTrackersOfGroup(arn).catch((error: Error) => error)));
  });

  return { eventTracker, eventTrackerSummary, datasetGroup, eventTrackersOfGroup, listEventTrackersPage };
}
