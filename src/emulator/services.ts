/**
 * The emulated services, keyed by their SigV4 signing name (the name the SDK puts in the
 * credential scope, which is how the emulator tells services apart on a single port).
 *
 * Each service has its own protocol, message member casing and error shapes; everything that
 * differs between them lives here so the operation handlers can stay protocol-agnostic.
 */

export const SERVICE_IDS = ['profile', 'personalize', 'internetmonitor', 'sts', 'kinesis'] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

export type Protocol = 'restJson1' | 'awsJson1_1' | 'awsQuery';

export const OPERATIONS_BY_SERVICE = {
  profile: [
    'GetEventStream',
    'ListEventStreams',
    'ListDomains',
    'CreateEventStream',
    'DeleteEventStream',
    'TagResource',
    'UntagResource',
    'ListTagsForResource',
  ],
  personalize: [
    'DescribeEventTracker',
    'ListEventTrackers',
    'DescribeDatasetGroup',
    'ListDatasetGroups',
    'CreateEventTracker',
    'DeleteEventTracker',
  ],
  internetmonitor: ['GetInternetEvent', 'ListInternetEvents'],
  sts: ['GetCallerIdentity', 'AssumeRole'],
  kinesis: ['DescribeStreamSummary'],
} as const satisfies Record<ServiceId, readonly string[]>;

export type OperationName = (typeof OPERATIONS_BY_SERVICE)[ServiceId][number];

export const OPERATION_NAMES: readonly OperationName[] = Object.values(OPERATIONS_BY_SERVICE).flat();

export interface ErrorShape {
  readonly code: string;
  readonly statusCode: number;
}

export interface ServiceDescriptor {
  readonly id: ServiceId;
  readonly protocol: Protocol;
  /** Customer Profiles and STS model `Message`; Personalize, Internet Monitor and Kinesis model `message`. */
  readonly messageMember: 'Message' | 'message';
  /** awsQuery only: the `Version` every request carries, and the namespace of every XML answer. */
  readonly query?: { readonly version: string; readonly xmlNamespace: string };
  readonly validation: ErrorShape;
  readonly invalidNextToken: ErrorShape;
  readonly notFound: ErrorShape;
  readonly throttling: ErrorShape;
  readonly internal: ErrorShape;
}

export const SERVICES: Readonly<Record<ServiceId, ServiceDescriptor>> = {
  profile: {
    id: 'profile',
    protocol: 'restJson1',
    messageMember: 'Message',
    validation: { code: 'BadRequestException', statusCode: 400 },
    // Customer Profiles has no dedicated token error: a bad token is a bad request.
    invalidNextToken: { code: 'BadRequestException', statusCode: 400 },
    notFound: { code: 'ResourceNotFoundException', statusCode: 404 },
    throttling: { code: 'ThrottlingException', statusCode: 429 },
    internal: { code: 'InternalServerException', statusCode: 500 },
  },
  personalize: {
    id: 'personalize',
    protocol: 'awsJson1_1',
    messageMember: 'message',
    validation: { code: 'InvalidInputException', statusCode: 400 },
    invalidNextToken: { code: 'InvalidNextTokenException', statusCode: 400 },
    // The Smithy model says 404 but the AWS API reference documents 400; clients dispatch on
    // `__type` either way, so follow the API reference (what the service is documented to send).
    notFound: { code: 'ResourceNotFoundException', statusCode: 400 },
    // Personalize models no ThrottlingException; LimitExceededException is documented as
    // "The limit on the number of requests per second has been exceeded."
    throttling: { code: 'LimitExceededException', statusCode: 400 },
    // No server error is modelled for Personalize: use the generic AWS `InternalFailure`.
    internal: { code: 'InternalFailure', statusCode: 500 },
  },
  internetmonitor: {
    id: 'internetmonitor',
    protocol: 'restJson1',
    messageMember: 'message',
    validation: { code: 'ValidationException', statusCode: 400 },
    invalidNextToken: { code: 'ValidationException', statusCode: 400 },
    // GetInternetEvent models no not-found error and what AWS returns for an unknown EventId is
    // undocumented. A 404 ResourceNotFoundException is the least surprising choice: it is what
    // the other Internet Monitor read operations (GetMonitor, GetHealthEvent) model, and a
    // client that does not know the code still sees a 4xx it will not retry.
    notFound: { code: 'ResourceNotFoundException', statusCode: 404 },
    throttling: { code: 'ThrottlingException', statusCode: 429 },
    internal: { code: 'InternalServerException', statusCode: 500 },
  },
  sts: {
    id: 'sts',
    protocol: 'awsQuery',
    messageMember: 'Message',
    query: { version: '2011-06-15', xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
    // The common errors of AWS's query APIs (STS models none of these for GetCallerIdentity, which has no input):
    // ValidationError for a bad parameter, Throttling (HTTP 400) for a rate exceeded, InternalFailure for a fault.
    validation: { code: 'ValidationError', statusCode: 400 },
    invalidNextToken: { code: 'ValidationError', statusCode: 400 },
    notFound: { code: 'ValidationError', statusCode: 400 },
    throttling: { code: 'Throttling', statusCode: 400 },
    internal: { code: 'InternalFailure', statusCode: 500 },
  },
  kinesis: {
    id: 'kinesis',
    protocol: 'awsJson1_1',
    messageMember: 'message',
    // Kinesis models InvalidArgumentException for bad input and ResourceNotFoundException, both HTTP 400.
    validation: { code: 'InvalidArgumentException', statusCode: 400 },
    invalidNextToken: { code: 'InvalidArgumentException', statusCode: 400 },
    notFound: { code: 'ResourceNotFoundException', statusCode: 400 },
    // "The requested resource exceeds the maximum number allowed, or the number of concurrent stream requests
    // exceeds the maximum number allowed": Kinesis's throttling error.
    throttling: { code: 'LimitExceededException', statusCode: 400 },
    internal: { code: 'InternalFailure', statusCode: 500 },
  },
};

export function isServiceId(value: string): value is ServiceId {
  return (SERVICE_IDS as readonly string[]).includes(value);
}

/** The partition an ARN lives in, from the region name (the other partitions keep the same shape). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}
