import type { OperationName, ServiceId } from './services.js';
import type { SessionTable } from './sessions.js';
import type { Caller } from './sigv4.js';
import type { EmulatorEstate, EmulatorStore } from './store.js';

/** What an operation handler sees of a request, after routing and authentication. */
export interface OperationRequest {
  /** From the SigV4 credential scope. */
  readonly region: string;
  /** Decoded URI labels (restJson1). */
  readonly pathParams: Readonly<Record<string, string>>;
  /** Decoded query parameters, first value of each (restJson1). */
  readonly query: Readonly<Record<string, string>>;
  /** Every value of each query parameter, for list members bound to the query (`?tagKeys=a&tagKeys=b`). */
  readonly queryValues?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * The input document: the parsed JSON body (awsJson1_1, and restJson1 when it has one), or the parameters besides
   * Action and Version (awsQuery).
   */
  readonly body: unknown;
  readonly now: Date;
  /** Who signed the request; `store` (the handler's second argument) is this account's data. */
  readonly caller: Caller;
  /** Every account, and the temporary credentials: what STS needs to assume roles. */
  readonly estate: EmulatorEstate;
  readonly sessions: SessionTable;
}

export interface OperationDefinition {
  readonly service: ServiceId;
  readonly name: OperationName;
  /** restJson1 binding; `{Label}` segments become path parameters. */
  readonly http?: { readonly method: string; readonly path: string };
  /** awsJson1_1 binding: the X-Amz-Target value. */
  readonly target?: string;
  /** awsQuery binding: the `Action` parameter (with the service's `Version`). */
  readonly action?: string;
  /**
   * Returns the output document (timestamps already in the wire format) or throws an AwsError. awsQuery outputs are
   * the members of `<Action>Result`.
   */
  handle(request: OperationRequest, store: EmulatorStore): object;
}
