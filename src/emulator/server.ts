import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { EmulatorClock } from './clock.js';
import { settleTrackers } from './lifecycle.js';
import { AwsError, commonErrors, serviceError } from './aws-errors.js';
import { customerProfilesOperations } from './customer-profiles.js';
import { customerProfilesWriteOperations } from './customer-profiles-writes.js';
import { FaultInjector, type FaultConfig, type FaultPlan } from './faults.js';
import { internetMonitorOperations } from './internet-monitor.js';
import { DualProtocolListener } from './listener.js';
import { kinesisOperations } from './kinesis.js';
import type { OperationDefinition } from './operation.js';
import { personalizeOperations } from './personalize.js';
import { personalizeWriteOperations } from './personalize-writes.js';
import { firstValues, OperationRouter, parseQuery } from './router.js';
import { SERVICES, isServiceId, type Protocol, type ServiceDescriptor } from './services.js';
import { SessionTable } from './sessions.js';
import {
  SigV4Verifier,
  parseAuthorization,
  type Caller,
  type EmulatorCredentials,
  type ParsedAuthorization,
} from './sigv4.js';
import { CallStats } from './stats.js';
import type { EmulatorEstate } from './store.js';
import { roleAccountOf, stsOperations } from './sts.js';
import {
  errorResponse,
  successResponse,
  writeResponse,
  type ResponseFormat,
  type WireResponse,
  type WriteOptions,
} from './wire.js';

/** Bodies of the emulated operations are tiny; anything bigger is a mistake or abuse. */
const MAX_BODY_BYTES = 1024 * 1024;

export const ALL_OPERATIONS: readonly OperationDefinition[] = [
  ...customerProfilesOperations,
  ...customerProfilesWriteOperations,
  ...personalizeOperations,
  ...personalizeWriteOperations,
  ...internetMonitorOperations,
  ...stsOperations,
  ...kinesisOperations,
];

export interface EmulatorServerOptions {
  readonly estate: EmulatorEstate;
  readonly credentials: readonly EmulatorCredentials[];
  readonly faults?: FaultConfig;
  /** The emulator's clock (ListInternetEvents' EndTime defaults to now). */
  readonly now?: () => Date;
}

class BodyTooLargeError extends Error {}

/**
 * One HTTP server for every service: it identifies the operation (path, X-Amz-Target or Action),
 * counts it, authenticates the SigV4 signature, applies faults, runs the operation and writes the
 * response in the service's protocol.
 */
export class EmulatorServer {
  readonly stats = new CallStats();
  readonly faults = new FaultInjector();
  private readonly listener: DualProtocolListener;
  private readonly router = new OperationRouter(ALL_OPERATIONS);
  private readonly verifier: SigV4Verifier;
  private readonly estate: EmulatorEstate;
  /** AssumeRole's temporary credentials (bounded; see sessions.ts). */
  readonly sessions = new SessionTable();
  readonly clock: EmulatorClock;

  constructor(options: EmulatorServerOptions) {
    this.estate = options.estate;
    this.verifier = new SigV4Verifier(options.credentials, this.sessions, this.estate.defaultAccount.accountId);
    this.clock = new EmulatorClock(options.now ?? (() => new Date()));
    if (options.faults) this.faults.set(options.faults);
    this.listener = new DualProtocolListener((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.crash(res, error));
    });
  }

  /** HTTP/1.1 and cleartext HTTP/2 on the same port (listener.ts). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return this.listener.listen(port, host);
  }

  /**
   * Back to the start: the fixtures' data (every write forgotten), zero counters, the clock unmoved. Temporary
   * credentials stay valid: a client holding some is not told to assume its role again.
   */
  reset(): void {
    this.estate.reset();
    this.stats.reset();
    this.clock.reset();
  }

  close(): Promise<void> {
    return this.listener.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
    const method = req.method ?? 'GET';

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      const format: ResponseFormat = { protocol: 'restJson1', messageMember: 'message' };
      await writeResponse(res, errorResponse(format, randomUUID(), commonErrors.requestTooLarge()));
      return;
    }

    if (rawPath === ADMIN_PREFIX || rawPath.startsWith(`${ADMIN_PREFIX}/`)) {
      handleAdmin(res, method, rawPath, body, {
        stats: this.stats,
        faults: this.faults,
        clock: this.clock,
        reset: () => this.reset(),
      });
      return;
    }
    await this.handleAwsCall(req, res, method, rawPath, queryStart === -1 ? '' : url.slice(queryStart + 1), body);
  }

  private async handleAwsCall(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    rawPath: string,
    rawQuery: string,
    body: Buffer,
  ): Promise<void> {
    const requestId = randomUUID();
    const target = headerValue(req.headers['x-amz-target']);
    const query = parseQuery(rawQuery);
    const protocol = protocolOf(method, rawPath, target, headerValue(req.headers['content-type']), query);

    let operation: OperationDefinition | undefined;
    let pathParams: Record<string, string> = {};
    // awsQuery: the parameters of the form body (POST) or of the query string (GET), Action and Version among them.
    let queryParameters: Record<string, string> = {};
    if (protocol === 'awsJson1_1') {
      operation = method === 'POST' && rawPath === '/' ? this.router.matchTarget(target!) : undefined;
    } else if (protocol === 'awsQuery') {
      queryParameters =
        method === 'POST' ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : firstValues(query);
      operation = queryParameters.Action === undefined ? undefined : this.router.matchAction(queryParameters.Action);
    } else {
      const match = this.router.matchRest(method, rawPath);
      operation = match?.operation;
      pathParams = match?.pathParams ?? {};
    }

    // The credential scope names the region and service even when the signature turns out bad.
    let auth: ParsedAuthorization | undefined;
    let authError: unknown;
    try {
      auth = parseAuthorization(headerValue(req.headers.authorization));
    } catch (error) {
      authError = error;
    }
    const region = auth?.scope.region;
    const service: ServiceDescriptor | undefined = operation
      ? SERVICES[operation.service]
      : auth && isServiceId(auth.scope.service)
        ? SERVICES[auth.scope.service]
        : undefined;
    // Counted under the account the key belongs to, before the signature is checked: every call counts.
    const accountId = auth ? this.verifier.accountOf(auth.scope.accessKeyId) : undefined;
    if (operation) {
      this.stats.record({ service: operation.service, operation: operation.name, region, accountId });
      const roleAccount = operation.name === 'AssumeRole' ? roleAccountOf(queryParameters) : undefined;
      if (roleAccount !== undefined) this.stats.recordAssumeRole(roleAccount);
    }
    const format: ResponseFormat = {
      protocol,
      messageMember: protocol === 'awsQuery' ? 'Message' : (service?.messageMember ?? 'message'),
      xmlNamespace: service?.query?.xmlNamespace,
    };

    let plan: FaultPlan | undefined;
    try {
      if (authError !== undefined) throw authError;
      const caller: Caller = await this.verifier.verify(
        { method, rawPath, query, headers: req.headers, body },
        auth!,
        this.clock.now(),
      );
      if (!operation) throw unknownOperation(protocol, { method, rawPath, target, action: queryParameters.Action });
      if (auth!.scope.service !== operation.service) {
        throw commonErrors.invalidSignature(`Credential should be scoped to correct service: '${operation.service}'.`);
      }
      if (protocol === 'awsQuery') checkQueryVersion(SERVICES[operation.service], queryParameters);

      plan = this.faults.plan({
        service: operation.service,
        operation: operation.name,
        region,
        account: caller.accountId,
      });
      if (plan.delayMs > 0) await delay(plan.delayMs);
      switch (plan.outcome) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'down':
          throw commonErrors.serviceUnavailable();
        case 'throttle':
          throw serviceError(operation.service, 'throttling', 'Rate exceeded');
        case 'error':
          throw serviceError(operation.service, 'internal', 'An internal error occurred. Try again later.');
        case 'none':
          break;
      }

      const input =
        protocol === 'awsJson1_1'
          ? parseJsonBody(body)
          : protocol === 'awsQuery'
            ? operationParameters(queryParameters)
            : body.length > 0
              ? parseJsonBody(body)
              : undefined;
      const now = this.clock.now();
      // Every account the fixtures hold has a store; a session's account is always one of them.
      const store = this.estate.account(caller.accountId)!;
      // Trackers move on with the clock: every operation sees the statuses of its moment.
      settleTrackers(store, now);
      const output = operation.handle(
        {
          region: region!,
          pathParams,
          query: firstValues(query),
          queryValues: query,
          body: input,
          now,
          caller,
          estate: this.estate,
          sessions: this.sessions,
        },
        store,
      );
      const success = successResponse(format, requestId, output, operation.name);
      await writeResponse(res, plan.corruptBody ? corrupted(success) : success, writeOptions(plan));
    } catch (error) {
      const awsError = error instanceof AwsError ? error : internalError(service, error);
      await writeResponse(res, errorResponse(format, requestId, awsError), writeOptions(plan));
    }
  }

  /** Last resort for a bug in the emulator itself: answer rather than hang the client. */
  private crash(res: ServerResponse, error: unknown): void {
    process.stderr.write(`[emulator] unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal emulator error' }));
    } else {
      res.destroy();
    }
  }
}

/**
 * The protocol of a request, hence of its answer: awsJson1_1 names its operation in X-Amz-Target; awsQuery is a form
 * POSTed to `/` (or a GET of `/?Action=...`); anything else is restJson1, routed by method and path.
 */
function protocolOf(
  method: string,
  rawPath: string,
  target: string | undefined,
  contentType: string | undefined,
  query: Readonly<Record<string, string | string[]>>,
): Protocol {
  if (target !== undefined) return 'awsJson1_1';
  if (rawPath === '/') {
    const form = contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') ?? false;
    if (method === 'POST' && form) return 'awsQuery';
    if (method === 'GET' && query.Action !== undefined) return 'awsQuery';
  }
  return 'restJson1';
}

function unknownOperation(
  protocol: Protocol,
  request: { method: string; rawPath: string; target?: string; action?: string },
): AwsError {
  switch (protocol) {
    case 'awsJson1_1':
      return new AwsError('UnknownOperationException', 400, `Unknown operation ${request.target}.`);
    case 'awsQuery':
      return request.action === undefined
        ? new AwsError('MissingAction', 400, 'The request must contain the parameter Action.')
        : new AwsError('InvalidAction', 400, `Could not find operation ${request.action}.`);
    case 'restJson1':
      return commonErrors.unknownOperation(`No operation is bound to ${request.method} ${request.rawPath}.`);
  }
}

/** A query API answers only requests for its one API version, as AWS does (the SDKs always send it). */
function checkQueryVersion(service: ServiceDescriptor, parameters: Readonly<Record<string, string>>): void {
  const version = parameters.Version;
  if (version !== service.query?.version) {
    const named = version ?? 'NO_VERSION_SPECIFIED';
    throw new AwsError('InvalidAction', 400, `Could not find operation ${parameters.Action} for version ${named}.`);
  }
}

/** An awsQuery operation's input: its parameters, without the Action and Version that routed it. */
function operationParameters(parameters: Readonly<Record<string, string>>): Record<string, string> {
  const { Action: _action, Version: _version, ...input } = parameters;
  return input;
}

/** The first half of a response's body, as a complete message: it arrives whole and does not parse. */
function corrupted(wire: WireResponse): WireResponse {
  const body = wire.body.subarray(0, Math.floor(wire.body.length / 2));
  return { ...wire, headers: { ...wire.headers, 'Content-Length': String(body.length) }, body };
}

function writeOptions(plan: FaultPlan | undefined): WriteOptions {
  return plan ? { slowBodyMs: plan.slowBodyMs, truncate: plan.truncate } : {};
}

function internalError(service: ServiceDescriptor | undefined, error: unknown): AwsError {
  process.stderr.write(`[emulator] operation failed: ${(error as Error)?.stack ?? String(error)}\n`);
  const message = 'An internal error occurred in the emulator.';
  return service ? serviceError(service, 'internal', message) : new AwsError('InternalFailure', 500, message);
}

/** awsJson1_1 input is a JSON object (`{}` when empty); anything else is a SerializationException. */
function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  let document: unknown;
  try {
    document = JSON.parse(body.toString('utf8'));
  } catch {
    throw commonErrors.serialization('The request body is not valid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw commonErrors.serialization('The request body must be a JSON object.');
  }
  return document;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
