import {
  DescribeDatasetGroupCommand,
  DescribeEventTrackerCommand,
  ListDatasetGroupsCommand,
  ListEventTrackersCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import DataLoader from 'dataloader';
import { nullIfNotFound } from '../../errors.js';
import type { LoaderDeps } from '../../context.js';
import { perRequest } from '../../context.js';
import type { Scope } from '../../estate.js';
import type { AwsPage } from '../../pagination.js';
import { getEach, getEachMaxCalls, groupBy, listOrGet, listOrGetMaxCalls } from '../../planner.js';
import { type ResourceIdentity, identityKey, listIdentity } from '../../resource/identity.js';
import { SERVICE, arnOf, identityOf, parsePersonalizeArn, regionListOf } from './arns.js';
import {
  type DatasetGroupModel,
  type EventTrackerModel,
  toDatasetGroup,
  toDatasetGroupFromSummary,
  toEventTracker,
  toEventTrackerFromSummary,
} from './mappers.js';

/**
 * The first part of every tracker list page's identity, whatever the dataset group filter: all tracker lists of
 * an account and region are one list group, so a write to a tracker invalidates all of them (listGroup).
 */
export const TRACKER_LISTS = 'trackers';

/** At most how many pages one dataset group's trackers take (AWS allows one tracker per group). */
const PAGES_PER_DATASET_GROUP = 1;

/**
 * The plans the loaders below execute, as AWS-call bounds: the preflight's cost estimate is computed from these,
 * so it cannot drift from what the loaders do.
 */
export const personalizePlans = {
  /** Complete trackers: one DescribeEventTracker each. */
  trackersFull: (keys: readonly ResourceIdentity[]) => getEachMaxCalls(keys.length),
  /** Tracker summaries: per account and region, list pages or Describes (planner.ts). */
  trackersSummary: (keys: readonly ResourceIdentity[]) =>
    [...groupBy(keys, regionListOf).values()].reduce((sum, group) => sum + listOrGetMaxCalls(group.length), 0),
  /** Dataset groups: one DescribeDatasetGroup each. */
  datasetGroups: (keys: readonly ResourceIdentity[]) => getEachMaxCalls(keys.length),
  /** One resource by key, whichever loader answers it. */
  one: Math.max(getEachMaxCalls(1), listOrGetMaxCalls(1)),
  /** The trackers of one dataset group: its list pages. */
  trackersOfGroup: PAGES_PER_DATASET_GROUP,
  /** Trackers per dataset group, as AWS allows. */
  trackersPerGroup: 1,
};

/** The identity of a model that came from AWS (its ARN names it). */
function identityOfModel(model: { arn: string }): ResourceIdentity | null {
  const arn = parsePersonalizeArn(model.arn);
  return arn && identityOf(arn);
}

function createPersonalizeLoaders(deps: LoaderDeps) {
  const client = (where: { accountId: string; region: string }) =>
    deps.clients.get(SERVICE, where.region, { accountId: where.accountId }) as unknown as PersonalizeClient;
  const site = (operation: string, where: { region: string; accountId: string }, resource?: string) => ({
    service: SERVICE,
    operation,
    region: where.region,
    accountId: where.accountId,
    ...(resource ? { resource } : {}),
  });

  async function describeEventTracker(identity: ResourceIdentity): Promise<EventTrackerModel | null> {
    const arn = arnOf(identity);
    const out = await nullIfNotFound(
      deps.aws.call(
        site('DescribeEventTracker', identity, `event tracker ${identity.id}`),
        deps.ledger,
        (abortSignal) =>
          client(identity).send(new DescribeEventTrackerCommand({ eventTrackerArn: arn }), { abortSignal }),
      ),
    );
    return out?.eventTracker ? toEventTracker(arn, out.eventTracker, identity.region) : null;
  }

  async function describeDatasetGroup(identity: ResourceIdentity): Promise<DatasetGroupModel | null> {
    const arn = arnOf(identity);
    const out = await nullIfNotFound(
      deps.aws.call(
        site('DescribeDatasetGroup', identity, `dataset group ${identity.id}`),
        deps.ledger,
        (abortSignal) =>
          client(identity).send(new DescribeDatasetGroupCommand({ datasetGroupArn: arn }), { abortSignal }),
      ),
    );
    return out?.datasetGroup ? toDatasetGroup(arn, out.datasetGroup, identity.region) : null;
  }

  /**
   * One ListEventTrackers page, all trackers of an account's region or those of one dataset group. `where` is the
   * account scope: the dataset group's own account when filtering by one.
   */
  async function listEventTrackersPage(
    where: { partition: string; accountId: string },
    region: string,
    datasetGroupArn: string | null,
    token: string | undefined,
    maxResults: number,
  ): Promise<AwsPage<EventTrackerModel>> {
    const pageId = listIdentity(
      where,
      SERVICE,
      region,
      'ListEventTrackers',
      TRACKER_LISTS,
      datasetGroupArn,
      maxResults,
      token,
    );
    const about = datasetGroupArn ? `the event trackers of dataset group ${datasetGroupArn}` : undefined;
    const page = await deps.cache.list(pageId, deps.cacheBypass, async () => {
      const out = await deps.aws.call(
        site('ListEventTrackers', { region, accountId: where.accountId }, about),
        deps.ledger,
        (abortSignal) =>
          client({ accountId: where.accountId, region }).send(
            new ListEventTrackersCommand({
              datasetGroupArn: datasetGroupArn ?? undefined,
              nextToken: token,
              maxResults,
            }),
            { abortSignal },
          ),
      );
      return {
        items: (out.eventTrackers ?? []).map((s) => toEventTrackerFromSummary(s, region, datasetGroupArn)),
        nextToken: out.nextToken || undefined,
      };
    });
    for (const item of page.items) {
      const identity = identityOfModel(item);
      if (identity) eventTrackerSummary.prime(identity, item);
    }
    return page;
  }

  /** Complete event trackers (trackingId, datasetGroupArn included) by identity. */
  const eventTracker = new DataLoader<ResourceIdentity, EventTrackerModel | null, string>(
    async (keys) => {
      deps.metrics.loaderBatchSize.observe({ loader: 'eventTracker' }, keys.length);
      return deps.cache.resolve(
        keys,
        { bypass: deps.cacheBypass, level: 'full', accept: (t: EventTrackerModel) => t.complete },
        (missing) => getEach(missing, identityKey, describeEventTracker),
      );
    },
    { cacheKeyFn: identityKey },
  );

  /** Event trackers with at least the list-summary fields; trackers of one region may come from list pages. */
  const eventTrackerSummary = new DataLoader<ResourceIdentity, EventTrackerModel | null, string>(
    async (keys) => {
      deps.metrics.loaderBatchSize.observe({ loader: 'eventTrackerSummary' }, keys.length);
      return deps.cache.resolve(keys, { bypass: deps.cacheBypass }, async (missing) => {
        const results = new Map<string, EventTrackerModel | null | Error>();
        await Promise.all(
          [...groupBy(missing, regionListOf).values()].map(async (group) => {
            const [first] = group;
            if (!first) return;
            const found = await listOrGet<EventTrackerModel, ResourceIdentity>({
              keys: group,
              keyOf: identityKey,
              idOf: (t) => {
                const identity = identityOfModel(t);
                return identity ? identityKey(identity) : '';
              },
              listPage: (token) => listEventTrackersPage(first, first.region, null, token, 100),
              getOne: describeEventTracker,
              listIsExhaustive: true,
              firstPages: { memo: deps.firstPages, listKey: `ListEventTrackers:${regionListOf(first)}` },
            });
            for (const [id, value] of found) results.set(id, value);
          }),
        );
        return results;
      });
    },
    { cacheKeyFn: identityKey },
  );

  const datasetGroup = new DataLoader<ResourceIdentity, DatasetGroupModel | null, string>(
    async (keys) => {
      deps.metrics.loaderBatchSize.observe({ loader: 'datasetGroup' }, keys.length);
      return deps.cache.resolve(keys, { bypass: deps.cacheBypass }, (missing) =>
        getEach(missing, identityKey, describeDatasetGroup),
      );
    },
    { cacheKeyFn: identityKey },
  );

  /** One ListDatasetGroups page of an account's region. */
  async function listDatasetGroupsPage(
    where: Scope,
    token: string | undefined,
    maxResults: number,
  ): Promise<AwsPage<DatasetGroupModel>> {
    const pageId = listIdentity(where, SERVICE, where.region, 'ListDatasetGroups', '', maxResults, token);
    return deps.cache.list(pageId, deps.cacheBypass, async () => {
      const out = await deps.aws.call(
        site('ListDatasetGroups', where, 'the dataset groups'),
        deps.ledger,
        (abortSignal) =>
          client(where).send(new ListDatasetGroupsCommand({ nextToken: token, maxResults }), { abortSignal }),
      );
      return {
        items: (out.datasetGroups ?? []).map((g) => toDatasetGroupFromSummary(g, where.region)),
        nextToken: out.nextToken || undefined,
      };
    });
  }

  /** Trackers of one scope (an account's region), or of one dataset group (in the group's account and region). */
  function listTrackers(where: Scope, datasetGroupArn: string | null, token: string | undefined, maxResults: number) {
    return listEventTrackersPage(where, where.region, datasetGroupArn, token, maxResults);
  }

  return { eventTracker, eventTrackerSummary, datasetGroup, listTrackers, listDatasetGroupsPage };
}

/** This request's Personalize loaders. */
export const personalizeLoaders = perRequest(createPersonalizeLoaders);
