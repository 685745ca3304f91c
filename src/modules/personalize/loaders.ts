import { DescribeDatasetGroupCommand, DescribeEventTrackerCommand, ListEventTrackersCommand } from '@aws-sdk/client-personalize';
import DataLoader from 'dataloader';
import { parsePersonalizeArn } from '../../aws/arn.js';
import { isNotFound } from '../../aws/errors.js';
import type { LoaderDeps } from '../../context.js';
import { settle } from '../../loader-utils.js';
import type { AwsPage } from '../../pagination.js';
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
    try {
      const out = await deps.aws.call({ service: 'personalize', operation: 'DescribeEventTracker', region }, deps.ledger, (abortSignal) =>
        client(region).send(new DescribeEventTrackerCommand({ eventTrackerArn: arn }), { abortSignal }),
      );
      return out.eventTracker ? toEventTracker(arn, out.eventTracker, region) : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async function describeDatasetGroup(arn: string): Promise<DatasetGroupModel | null> {
    const region = regionOf(arn, fallbackRegion);
    try {
      const out = await deps.aws.call({ service: 'personalize', operation: 'DescribeDatasetGroup', region }, deps.ledger, (abortSignal) =>
        client(region).send(new DescribeDatasetGroupCommand({ datasetGroupArn: arn }), { abortSignal }),
      );
      return out.datasetGroup ? toDatasetGroup(arn, out.datasetGroup, region) : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** One ListEventTrackers page, all trackers of a region or those of one dataset group. */
  async function listEventTrackersPage(
    region: string,
    datasetGroupArn: string | null,
    token: string | undefined,
    maxResults: number,
  ): Promise<AwsPage<EventTrackerModel>> {
    const out = await deps.aws.call({ service: 'personalize', operation: 'ListEventTrackers', region }, deps.ledger, (abortSignal) =>
      client(region).send(
        new ListEventTrackersCommand({ datasetGroupArn: datasetGroupArn ?? undefined, nextToken: token, maxResults }),
        { abortSignal },
      ),
    );
    return {
      items: (out.eventTrackers ?? []).map((s) => toEventTrackerFromSummary(s, region, datasetGroupArn)),
      nextToken: out.nextToken || undefined,
    };
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

  const eventTracker = new DataLoader<string, EventTrackerModel | null>((arns) => settle(arns, describeEventTracker));
  const datasetGroup = new DataLoader<string, DatasetGroupModel | null>((arns) => settle(arns, describeDatasetGroup));
  /** The trackers of a dataset group, by group ARN: many parents asking for the same group cost one list. */
  const eventTrackersOfGroup = new DataLoader<string, EventTrackerModel[]>((arns) => settle(arns, listAllEventTrackersOfGroup));

  return { eventTracker, datasetGroup, eventTrackersOfGroup, listEventTrackersPage };
}
