/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Destination health. AWS enums are open: a value this schema does not list maps to UNKNOWN. */
export type DestinationStatus =
  | 'HEALTHY'
  | 'UNHEALTHY'
  | 'UNKNOWN';

/** Event stream states. AWS enums are open: a value this schema does not list maps to UNKNOWN. */
export type EventStreamState =
  | 'RUNNING'
  | 'STOPPED'
  | 'UNKNOWN';

/** Event tracker lifecycle. AWS sends free-form strings; any value not listed here maps to UNKNOWN. */
export type EventTrackerStatus =
  | 'ACTIVE'
  | 'CREATE_FAILED'
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_PENDING'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_PENDING'
  | 'UNKNOWN';

/**
 * Internet event statuses. AWS enums are open: a value this schema does not list maps to UNKNOWN, which matches
 * nothing as a filter.
 */
export type InternetEventStatus =
  | 'ACTIVE'
  | 'RESOLVED'
  | 'UNKNOWN';

/**
 * Internet event types. AWS enums are open: a value this schema does not list maps to UNKNOWN, which matches
 * nothing as a filter.
 */
export type InternetEventType =
  | 'AVAILABILITY'
  | 'PERFORMANCE'
  | 'UNKNOWN';

/**
 * One tag to set on a resource (mutations). AWS's rules, checked before any AWS call: 1 to 50 tags per resource, keys
 * 1-128 characters that do not start with `aws:`, values 0-256 characters, each key once.
 */
export type TagInput = {
  key: string;
  value: string;
};

export type UpdateEventStreamInput = {
  domainName: string;
  name: string;
  region?: string | null | undefined;
  /**
   * The stream's new full tag set (at most 50): tags not listed are removed, listed ones set. An event stream's tags
   * are the only thing AWS lets you change; an empty list removes every tag.
   */
  tags: Array<TagInput>;
};

export type DomainEventStreamsQueryVariables = Exact<{
  domainName: string;
  region?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DomainEventStreamsQuery = { eventStreams: { nodes: Array<{ arn: string, name: string, state: EventStreamState, destination: { status: DestinationStatus, kinesisStreamName: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type ActiveInternetEventsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type ActiveInternetEventsQuery = { internetEvents: { nodes: Array<{ eventId: string, type: InternetEventType, startedAt: string, clientLocation: { asName: string, asNumber: number | null, city: string, country: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type InternetEventDetailsQueryVariables = Exact<{
  eventId: string;
}>;


export type InternetEventDetailsQuery = { internetEvent: { eventId: string, status: InternetEventStatus, startedAt: string, endedAt: string | null, clientLocation: { city: string, country: string, latitude: number | null, longitude: number | null } } | null };

export type PinnedResourcesQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type PinnedResourcesQuery = { nodes: Array<
    | { __typename: 'DatasetGroup', id: string }
    | { __typename: 'EventStream', name: string, state: EventStreamState, id: string }
    | { __typename: 'EventTracker', name: string, id: string, trackerStatus: EventTrackerStatus, datasetGroup: { name: string } | null }
    | { __typename: 'InternetEvent', id: string, eventStatus: InternetEventStatus, clientLocation: { city: string } }
   | null> };

export type RetagEventStreamMutationVariables = Exact<{
  input: UpdateEventStreamInput;
}>;


export type RetagEventStreamMutation = { updateEventStream: { eventStream: { arn: string, tags: Array<{ key: string, value: string }> } | null } };


export const DomainEventStreamsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DomainEventStreams"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"domainName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"region"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventStreams"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"domainName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"domainName"}}},{"kind":"Argument","name":{"kind":"Name","value":"region"},"value":{"kind":"Variable","name":{"kind":"Name","value":"region"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"arn"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"destination"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"kinesisStreamName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<DomainEventStreamsQuery, DomainEventStreamsQueryVariables>;
export const ActiveInternetEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ActiveInternetEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internetEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"EnumValue","value":"ACTIVE"}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"clientLocation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"asName"}},{"kind":"Field","name":{"kind":"Name","value":"asNumber"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ActiveInternetEventsQuery, ActiveInternetEventsQueryVariables>;
export const InternetEventDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"InternetEventDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"eventId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internetEvent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"eventId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"eventId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"clientLocation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}}]}}]}}]}}]} as unknown as DocumentNode<InternetEventDetailsQuery, InternetEventDetailsQueryVariables>;
export const PinnedResourcesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PinnedResources"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventStream"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EventTracker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","alias":{"kind":"Name","value":"trackerStatus"},"name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"datasetGroup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InternetEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"eventStatus"},"name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"clientLocation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"city"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PinnedResourcesQuery, PinnedResourcesQueryVariables>;
export const RetagEventStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RetagEventStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateEventStreamInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateEventStream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventStream"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"arn"}},{"kind":"Field","name":{"kind":"Name","value":"tags"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RetagEventStreamMutation, RetagEventStreamMutationVariables>;