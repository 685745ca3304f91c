/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DomainEventStreams($domainName: String!, $region: String, $first: Int, $after: String) {\n  eventStreams(\n    domainName: $domainName\n    region: $region\n    first: $first\n    after: $after\n  ) {\n    nodes {\n      arn\n      name\n      state\n      destination {\n        status\n        kinesisStreamName\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.DomainEventStreamsDocument,
    "query ActiveInternetEvents($first: Int) {\n  internetEvents(status: ACTIVE, first: $first) {\n    nodes {\n      eventId\n      type\n      startedAt\n      clientLocation {\n        asName\n        asNumber\n        city\n        country\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery InternetEventDetails($eventId: String!) {\n  internetEvent(eventId: $eventId) {\n    eventId\n    status\n    startedAt\n    endedAt\n    clientLocation {\n      city\n      country\n      latitude\n      longitude\n    }\n  }\n}": typeof types.ActiveInternetEventsDocument,
    "query PinnedResources($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on EventStream {\n      name\n      state\n    }\n    ... on EventTracker {\n      name\n      trackerStatus: status\n      datasetGroup {\n        name\n      }\n    }\n    ... on InternetEvent {\n      eventStatus: status\n      clientLocation {\n        city\n      }\n    }\n  }\n}": typeof types.PinnedResourcesDocument,
    "mutation RetagEventStream($input: UpdateEventStreamInput!) {\n  updateEventStream(input: $input) {\n    eventStream {\n      arn\n      tags {\n        key\n        value\n      }\n    }\n  }\n}": typeof types.RetagEventStreamDocument,
};
const documents: Documents = {
    "query DomainEventStreams($domainName: String!, $region: String, $first: Int, $after: String) {\n  eventStreams(\n    domainName: $domainName\n    region: $region\n    first: $first\n    after: $after\n  ) {\n    nodes {\n      arn\n      name\n      state\n      destination {\n        status\n        kinesisStreamName\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.DomainEventStreamsDocument,
    "query ActiveInternetEvents($first: Int) {\n  internetEvents(status: ACTIVE, first: $first) {\n    nodes {\n      eventId\n      type\n      startedAt\n      clientLocation {\n        asName\n        asNumber\n        city\n        country\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery InternetEventDetails($eventId: String!) {\n  internetEvent(eventId: $eventId) {\n    eventId\n    status\n    startedAt\n    endedAt\n    clientLocation {\n      city\n      country\n      latitude\n      longitude\n    }\n  }\n}": types.ActiveInternetEventsDocument,
    "query PinnedResources($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on EventStream {\n      name\n      state\n    }\n    ... on EventTracker {\n      name\n      trackerStatus: status\n      datasetGroup {\n        name\n      }\n    }\n    ... on InternetEvent {\n      eventStatus: status\n      clientLocation {\n        city\n      }\n    }\n  }\n}": types.PinnedResourcesDocument,
    "mutation RetagEventStream($input: UpdateEventStreamInput!) {\n  updateEventStream(input: $input) {\n    eventStream {\n      arn\n      tags {\n        key\n        value\n      }\n    }\n  }\n}": types.RetagEventStreamDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DomainEventStreams($domainName: String!, $region: String, $first: Int, $after: String) {\n  eventStreams(\n    domainName: $domainName\n    region: $region\n    first: $first\n    after: $after\n  ) {\n    nodes {\n      arn\n      name\n      state\n      destination {\n        status\n        kinesisStreamName\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query DomainEventStreams($domainName: String!, $region: String, $first: Int, $after: String) {\n  eventStreams(\n    domainName: $domainName\n    region: $region\n    first: $first\n    after: $after\n  ) {\n    nodes {\n      arn\n      name\n      state\n      destination {\n        status\n        kinesisStreamName\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ActiveInternetEvents($first: Int) {\n  internetEvents(status: ACTIVE, first: $first) {\n    nodes {\n      eventId\n      type\n      startedAt\n      clientLocation {\n        asName\n        asNumber\n        city\n        country\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery InternetEventDetails($eventId: String!) {\n  internetEvent(eventId: $eventId) {\n    eventId\n    status\n    startedAt\n    endedAt\n    clientLocation {\n      city\n      country\n      latitude\n      longitude\n    }\n  }\n}"): (typeof documents)["query ActiveInternetEvents($first: Int) {\n  internetEvents(status: ACTIVE, first: $first) {\n    nodes {\n      eventId\n      type\n      startedAt\n      clientLocation {\n        asName\n        asNumber\n        city\n        country\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery InternetEventDetails($eventId: String!) {\n  internetEvent(eventId: $eventId) {\n    eventId\n    status\n    startedAt\n    endedAt\n    clientLocation {\n      city\n      country\n      latitude\n      longitude\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PinnedResources($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on EventStream {\n      name\n      state\n    }\n    ... on EventTracker {\n      name\n      trackerStatus: status\n      datasetGroup {\n        name\n      }\n    }\n    ... on InternetEvent {\n      eventStatus: status\n      clientLocation {\n        city\n      }\n    }\n  }\n}"): (typeof documents)["query PinnedResources($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on EventStream {\n      name\n      state\n    }\n    ... on EventTracker {\n      name\n      trackerStatus: status\n      datasetGroup {\n        name\n      }\n    }\n    ... on InternetEvent {\n      eventStatus: status\n      clientLocation {\n        city\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RetagEventStream($input: UpdateEventStreamInput!) {\n  updateEventStream(input: $input) {\n    eventStream {\n      arn\n      tags {\n        key\n        value\n      }\n    }\n  }\n}"): (typeof documents)["mutation RetagEventStream($input: UpdateEventStreamInput!) {\n  updateEventStream(input: $input) {\n    eventStream {\n      arn\n      tags {\n        key\n        value\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;