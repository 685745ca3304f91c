/*
 * GetInternetEvent and ListInternetEvents for @aws-sdk/client-internetmonitor 3.332.
 *
 * Why this file exists: these operations first shipped in client 3.559.0 and the registry we
 * install from only has 3.321.1 and 3.332.0. These two commands are built the way the 3.332
 * generated commands are (a smithy-client Command whose middleware is the client's own stack plus
 * the serde and endpoint plugins), so the client's credentials, SigV4 signing, endpoint resolution
 * and retry strategy apply unchanged. Names and shapes follow the official SDK: when a newer
 * client is available, delete this file and import both commands from the package instead.
 */
import {
  AccessDeniedException,
  InternalServerException,
  InternetMonitorServiceException,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  type InternetMonitorClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-internetmonitor';
// The 3.329 plugins the 3.332 client itself depends on (must match its middleware stack).
import { getEndpointPlugin, type EndpointParameterInstructions } from '@aws-sdk/middleware-endpoint';
import { getSerdePlugin } from '@aws-sdk/middleware-serde';
import { HttpRequest, type HttpResponse } from '@aws-sdk/protocol-http';
import {
  Command,
  decorateServiceException,
  expectLong,
  expectNonNull,
  expectObject,
  expectString,
  limitedParseDouble,
  parseRfc3339DateTimeWithOffset,
  resolvedPath,
  take,
} from '@aws-sdk/smithy-client';
import type {
  Handler,
  HttpHandlerOptions,
  MetadataBearer,
  MiddlewareStack,
  ResponseMetadata,
  SerdeContext,
} from '@aws-sdk/types';

// ---- Types (as in the official SDK's models_0.ts) ----

export const InternetEventType = { AVAILABILITY: 'AVAILABILITY', PERFORMANCE: 'PERFORMANCE' } as const;
export type InternetEventType = (typeof InternetEventType)[keyof typeof InternetEventType];

export const InternetEventStatus = { ACTIVE: 'ACTIVE', RESOLVED: 'RESOLVED' } as const;
export type InternetEventStatus = (typeof InternetEventStatus)[keyof typeof InternetEventStatus];

export interface ClientLocation {
  ASName: string | undefined;
  /** A `long`: 4-byte AS numbers exceed a signed 32-bit integer. */
  ASNumber: number | undefined;
  Country: string | undefined;
  Subdivision?: string;
  Metro?: string;
  City: string | undefined;
  Latitude: number | undefined;
  Longitude: number | undefined;
}

export interface InternetEventSummary {
  EventId: string | undefined;
  EventArn: string | undefined;
  StartedAt: Date | undefined;
  EndedAt?: Date;
  ClientLocation: ClientLocation | undefined;
  EventType: InternetEventType | undefined;
  EventStatus: InternetEventStatus | undefined;
}

export interface GetInternetEventInput {
  EventId: string | undefined;
}

export interface GetInternetEventOutput {
  EventId: string | undefined;
  EventArn: string | undefined;
  StartedAt: Date | undefined;
  EndedAt?: Date;
  ClientLocation: ClientLocation | undefined;
  EventType: InternetEventType | undefined;
  EventStatus: InternetEventStatus | undefined;
}

export interface ListInternetEventsInput {
  NextToken?: string;
  /** Sent as the `InternetEventMaxResults` query parameter (1-100). */
  MaxResults?: number;
  /** Both bounds refer to when events started; EndTime defaults to now on the service side. */
  StartTime?: Date;
  EndTime?: Date;
  /** A plain string in the model; documented values: ACTIVE, RESOLVED. */
  EventStatus?: string;
  /** A plain string in the model; documented values: AVAILABILITY, PERFORMANCE. */
  EventType?: string;
}

export interface ListInternetEventsOutput {
  InternetEvents: InternetEventSummary[] | undefined;
  NextToken?: string;
}

export interface GetInternetEventCommandInput extends GetInternetEventInput {}
export interface GetInternetEventCommandOutput extends GetInternetEventOutput, MetadataBearer {}
export interface ListInternetEventsCommandInput extends ListInternetEventsInput {}
export interface ListInternetEventsCommandOutput extends ListInternetEventsOutput, MetadataBearer {}

// ---- Commands ----

/**
 * The 3.332 client's `send` only takes commands whose input is assignable to its closed
 * `ServiceInputTypes` union, which predates these operations. Intersecting with that union
 * satisfies the constraint without changing what callers pass (`{ EventId }`) or read.
 */
type AcceptedInput<T> = T & ServiceInputTypes;

// The parameters of the current endpoint rule set (endpoint.ts), which the module gives the client as its
// endpointProvider: the 3.332 generated commands' three, plus UseDualStack, which the 3.332 rule set lacks.
const endpointParameterInstructions = (): EndpointParameterInstructions => ({
  UseFIPS: { type: 'builtInParams', name: 'useFipsEndpoint' },
  UseDualStack: { type: 'builtInParams', name: 'useDualstackEndpoint' },
  Endpoint: { type: 'builtInParams', name: 'endpoint' },
  Region: { type: 'builtInParams', name: 'region' },
});

type Serializer<I> = (input: I, context: SerdeContext) => Promise<HttpRequest>;
type Deserializer<O> = (output: HttpResponse, context: SerdeContext) => Promise<O>;

/** What the generated `resolveMiddleware` bodies do, shared by both commands. */
function resolve<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  command: Command<I, O, InternetMonitorClientResolvedConfig>,
  commandName: string,
  serialize: Serializer<I>,
  deserialize: Deserializer<O>,
  clientStack: MiddlewareStack<ServiceInputTypes, ServiceOutputTypes>,
  configuration: InternetMonitorClientResolvedConfig,
  options?: HttpHandlerOptions,
): Handler<I, O> {
  command.middlewareStack.use(getSerdePlugin(configuration, serialize, deserialize));
  command.middlewareStack.use(getEndpointPlugin(configuration, endpointParameterInstructions()));
  const stack = clientStack.concat(
    command.middlewareStack as unknown as MiddlewareStack<ServiceInputTypes, ServiceOutputTypes>,
  );
  const handlerExecutionContext = {
    logger: configuration.logger,
    clientName: 'InternetMonitorClient',
    commandName,
    inputFilterSensitiveLog: (input: unknown) => input,
    outputFilterSensitiveLog: (output: unknown) => output,
  };
  const { requestHandler } = configuration;
  return stack.resolve(
    (request) => requestHandler.handle(request.request as HttpRequest, options || {}),
    handlerExecutionContext,
  ) as unknown as Handler<I, O>;
}

export class GetInternetEventCommand extends Command<
  AcceptedInput<GetInternetEventCommandInput>,
  GetInternetEventCommandOutput,
  InternetMonitorClientResolvedConfig
> {
  static getEndpointParameterInstructions = endpointParameterInstructions;
  readonly input: AcceptedInput<GetInternetEventCommandInput>;

  constructor(input: GetInternetEventCommandInput) {
    super();
    this.input = input;
  }

  resolveMiddleware(
    clientStack: MiddlewareStack<ServiceInputTypes, ServiceOutputTypes>,
    configuration: InternetMonitorClientResolvedConfig,
    options?: HttpHandlerOptions,
  ): Handler<AcceptedInput<GetInternetEventCommandInput>, GetInternetEventCommandOutput> {
    return resolve(
      this,
      'GetInternetEventCommand',
      se_GetInternetEvent,
      de_GetInternetEvent,
      clientStack,
      configuration,
      options,
    );
  }
}

export class ListInternetEventsCommand extends Command<
  AcceptedInput<ListInternetEventsCommandInput>,
  ListInternetEventsCommandOutput,
  InternetMonitorClientResolvedConfig
> {
  static getEndpointParameterInstructions = endpointParameterInstructions;
  readonly input: AcceptedInput<ListInternetEventsCommandInput>;

  constructor(input: ListInternetEventsCommandInput) {
    super();
    this.input = input;
  }

  resolveMiddleware(
    clientStack: MiddlewareStack<ServiceInputTypes, ServiceOutputTypes>,
    configuration: InternetMonitorClientResolvedConfig,
    options?: HttpHandlerOptions,
  ): Handler<AcceptedInput<ListInternetEventsCommandInput>, ListInternetEventsCommandOutput> {
    return resolve(
      this,
      'ListInternetEventsCommand',
      se_ListInternetEvents,
      de_ListInternetEvents,
      clientStack,
      configuration,
      options,
    );
  }
}

// ---- restJson1 serializers ----

async function basePath(context: SerdeContext) {
  const { hostname, protocol = 'https', port, path } = await context.endpoint();
  return { hostname, protocol, port, path: path?.endsWith('/') ? path.slice(0, -1) : path || '' };
}

/** RFC 3339 like the newer SDKs' serializeDateTime (milliseconds kept when present). */
const serializeDateTime = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

const se_GetInternetEvent: Serializer<GetInternetEventCommandInput> = async (input, context) => {
  const { path, ...endpoint } = await basePath(context);
  // resolvedPath URI-encodes the label and rejects a missing or empty EventId, as generated code does.
  const resolved = resolvedPath(
    `${path}/v20210603/InternetEvents/{EventId}`,
    input,
    'EventId',
    () => input.EventId!,
    '{EventId}',
    false,
  );
  return new HttpRequest({ ...endpoint, method: 'GET', headers: {}, path: resolved });
};

const se_ListInternetEvents: Serializer<ListInternetEventsCommandInput> = async (input, context) => {
  const { path, ...endpoint } = await basePath(context);
  const query: Record<string, string> = {};
  if (input.NextToken !== undefined) query.NextToken = input.NextToken;
  if (input.MaxResults !== undefined) query.InternetEventMaxResults = String(input.MaxResults);
  if (input.StartTime !== undefined) query.StartTime = serializeDateTime(input.StartTime);
  if (input.EndTime !== undefined) query.EndTime = serializeDateTime(input.EndTime);
  if (input.EventStatus !== undefined) query.EventStatus = input.EventStatus;
  if (input.EventType !== undefined) query.EventType = input.EventType;
  return new HttpRequest({ ...endpoint, method: 'GET', headers: {}, path: `${path}/v20210603/InternetEvents`, query });
};

// ---- restJson1 deserializers ----

const de_GetInternetEvent: Deserializer<GetInternetEventCommandOutput> = async (output, context) => {
  if (output.statusCode !== 200 && output.statusCode >= 300) return throwError(output, context);
  const data = expectNonNull(expectObject(await parseSuccessBody(output, context)), 'body');
  return { $metadata: deserializeMetadata(output), ...de_InternetEvent(data) };
};

const de_ListInternetEvents: Deserializer<ListInternetEventsCommandOutput> = async (output, context) => {
  if (output.statusCode !== 200 && output.statusCode >= 300) return throwError(output, context);
  const data = expectNonNull(expectObject(await parseSuccessBody(output, context)), 'body');
  const doc = take(data, {
    InternetEvents: (list: unknown) =>
      ((list as unknown[] | null) ?? [])
        .filter((e) => e != null)
        .map((e) => de_InternetEvent(e as Record<string, unknown>)),
    NextToken: expectString,
  });
  return { $metadata: deserializeMetadata(output), ...doc };
};

function de_InternetEvent(data: Record<string, unknown>): GetInternetEventOutput {
  return take(data, {
    EventId: expectString,
    EventArn: expectString,
    StartedAt: (value: unknown) => expectNonNull(parseTimestamp(value)),
    EndedAt: (value: unknown) => expectNonNull(parseTimestamp(value)),
    ClientLocation: (value: unknown) =>
      take(value, {
        ASName: expectString,
        ASNumber: expectLong,
        Country: expectString,
        Subdivision: expectString,
        Metro: expectString,
        City: expectString,
        Latitude: limitedParseDouble,
        Longitude: limitedParseDouble,
      }),
    EventType: expectString,
    EventStatus: expectString,
  });
}

/**
 * The model says RFC 3339; be lenient anyway (the wire reference marks the exact format as not
 * captured from the real service): offsets and any fraction length, else any date string
 * Date.parse understands, else epoch seconds (the Smithy default) if a number arrives.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return new Date(Math.round(value * 1000));
  if (typeof value === 'string') {
    try {
      return parseRfc3339DateTimeWithOffset(value);
    } catch (error) {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return new Date(ms);
      throw error;
    }
  }
  throw new TypeError(`Expected a timestamp, got ${typeof value}`);
}

// ---- Errors ----

type ModeledErrorCtor = new (opts: {
  $metadata: ResponseMetadata;
  message?: string;
}) => InternetMonitorServiceException;

// Every error either operation can return (plus the emulator's not-found, see the emulator's
// services.ts), mapped to the client's own exception classes so `instanceof` and `$retryable`
// (ThrottlingException is retryable as throttling) behave as for the generated commands.
const MODELED_ERRORS: Record<string, ModeledErrorCtor> = {
  AccessDeniedException: AccessDeniedException as unknown as ModeledErrorCtor,
  InternalServerException: InternalServerException as unknown as ModeledErrorCtor,
  ThrottlingException: ThrottlingException as unknown as ModeledErrorCtor,
  ValidationException: ValidationException as unknown as ModeledErrorCtor,
  ResourceNotFoundException: ResourceNotFoundException as unknown as ModeledErrorCtor,
};

async function throwError(output: HttpResponse, context: SerdeContext): Promise<never> {
  const body = (await parseBody(output, context)) as Record<string, unknown>;
  // Both casings reach clients: Internet Monitor models `message`, generic AWS errors may use `Message`.
  body.message = body.message ?? body.Message;
  const errorCode = loadRestJsonErrorCode(output, body);
  const Modeled = errorCode === undefined ? undefined : MODELED_ERRORS[errorCode];
  const $metadata = deserializeMetadata(output);
  if (Modeled) {
    throw decorateServiceException(new Modeled({ $metadata, message: expectString(body.message) }), body);
  }
  // Unlike smithy-client 3.329's default handler (raw body `code` as name, always `$fault:
  // "client"`), name unmodelled errors by the cleaned code and fault them by status, so a 503
  // from a proxy or an unavailable service reads as the server fault it is.
  const unmodelled = new InternetMonitorServiceException({
    name: errorCode || String(output.statusCode) || 'UnknownError',
    $fault: output.statusCode >= 500 ? 'server' : 'client',
    $metadata,
  });
  throw decorateServiceException(unmodelled, body);
}

/**
 * restJson1 error code lookup, as the SDKs do: the `x-amzn-errortype` header (any case), then a
 * body `code`, then `__type`; the value is cleaned of a `:...` suffix and a `namespace#` prefix.
 */
export function loadRestJsonErrorCode(
  output: { headers: Record<string, string | undefined> },
  body: Record<string, unknown>,
): string | undefined {
  const headerKey = Object.keys(output.headers).find((key) => key.toLowerCase() === 'x-amzn-errortype');
  if (headerKey !== undefined && output.headers[headerKey] !== undefined)
    return sanitizeErrorCode(output.headers[headerKey]!);
  const codeKey = Object.keys(body).find((key) => key.toLowerCase() === 'code');
  if (codeKey !== undefined && body[codeKey] !== undefined) return sanitizeErrorCode(body[codeKey]);
  if (body.__type !== undefined) return sanitizeErrorCode(body.__type);
  return undefined;
}

export function sanitizeErrorCode(raw: unknown): string {
  let code = String(raw);
  if (code.includes(',')) code = code.split(',')[0]!;
  if (code.includes(':')) code = code.split(':')[0]!;
  if (code.includes('#')) code = code.split('#')[1]!;
  return code;
}

function deserializeMetadata(output: HttpResponse): ResponseMetadata {
  return {
    httpStatusCode: output.statusCode,
    requestId:
      output.headers['x-amzn-requestid'] ?? output.headers['x-amzn-request-id'] ?? output.headers['x-amz-request-id'],
    extendedRequestId: output.headers['x-amz-id-2'],
    cfId: output.headers['x-amz-cf-id'],
  };
}

async function bodyText(output: HttpResponse, context: SerdeContext): Promise<string> {
  const bytes =
    output.body instanceof Uint8Array ? output.body : await context.streamCollector(output.body ?? new Uint8Array());
  return context.utf8Encoder(bytes);
}

/** An error body: a non-JSON one (a proxy's HTML page, say) still becomes a typed error by status. */
async function parseBody(output: HttpResponse, context: SerdeContext): Promise<unknown> {
  const text = await bodyText(output, context);
  if (!text.length) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/**
 * A success body, parsed as the SDKs' parseJsonBody does: text that is not JSON is an error (a SyntaxError carrying
 * `$responseBodyText` and the response's metadata), never an empty document, which would read as an empty page or
 * an event without an id.
 */
async function parseSuccessBody(output: HttpResponse, context: SerdeContext): Promise<unknown> {
  const text = await bodyText(output, context);
  if (!text.length) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    const unreadable = error instanceof SyntaxError ? error : new SyntaxError(String(error));
    Object.defineProperty(unreadable, '$responseBodyText', { value: text });
    Object.defineProperty(unreadable, '$metadata', { value: deserializeMetadata(output), enumerable: true });
    throw unreadable;
  }
}
