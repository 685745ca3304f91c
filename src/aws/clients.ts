import http from 'node:http';
import https from 'node:https';
import type { AwsSettings } from '../config.js';
import type { AwsCredentials } from './credentials.js';
import type { OperationQuotas } from './limiter.js';
import { installAttemptHook } from './resilience.js';
import { isRejectedCredentials } from '../errors.js';

/** Credentials as SDK clients take them: a provider they call (and memoize) when they sign. */
export type CredentialProvider = () => Promise<AwsCredentials>;

/** The credentials of an account's clients: undefined for the gateway's own (static ones or the default chain). */
export type AccountCredentialsOf = (accountId: string) => CredentialProvider | undefined;

/** What the gateway needs of an SDK client, whatever its generation. */
export interface AwsClient {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
  middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
  config: Parameters<typeof installAttemptHook>[0]['config'];
}

export interface AwsServiceDefinition {
  /** The SigV4 signing name, which is also the IAM prefix (`profile`). */
  readonly id: string;
  /** `<id>:<Action>` for every operation the module calls: the gateway's IAM policy. */
  readonly iamActions: readonly string[];
  /**
   * The IAM actions of the module's writes (mutations), by the AWS operation that needs them (an operation can
   * need more than its own action: a create that tags needs the service's TagResource too). They make up the second,
   * write policy; `iamActions` stays read-only.
   */
  readonly writeIamActions?: Readonly<Record<string, readonly string[]>>;
  /** Whether its resources are global: one region answers for all (the client is built for that region only). */
  readonly global?: boolean;
  /** The partitions AWS offers the service in; ids and regions of the others are refused before any call. */
  readonly partitions: readonly string[];
  /**
   * The regions AWS offers the service in, when not every region of its partitions: a list over `regions: ["*"]`
   * asks only these (of ALLOWED_REGIONS).
   */
  readonly regions?: readonly string[];
  /** AWS's documented request quotas per operation, per account and region (the client-side limiter's rates). */
  readonly quotas?: OperationQuotas;
  createClient(options: ClientOptions): AwsClient;
}

/** Everything a module's client factory needs; the handler options carry the shared keep-alive agents. */
export interface ClientOptions {
  region: string;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string } | CredentialProvider;
  handlerOptions: {
    connectionTimeout: number;
    requestTimeout: number;
    httpAgent: http.Agent;
    httpsAgent: https.Agent;
  };
}

/**
 * One SDK client per (account, service, region), created on first use and reused for the life of the process:
 * clients hold connection pools and resolved credentials, so creating one per request would cost a TLS handshake per
 * call. A member account's clients sign with that account's assumed-role session (shared by all of them, see
 * MemberCredentials); the gateway's own account's with its own credentials. The services and their client classes
 * come from the modules.
 */
export class ClientRegistry {
  private readonly clients = new Map<string, AwsClient>();
  private readonly definitions: ReadonlyMap<string, AwsServiceDefinition>;
  // Keep-alive sockets shared by all clients; bounded so one slow region cannot take every socket.
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(
    private readonly settings: AwsSettings,
    services: readonly AwsServiceDefinition[],
    private readonly credentialsOf: AccountCredentialsOf = () => undefined,
    /** AWS refused a member account's session (expired on its clock): its credentials are assumed again. */
    private readonly sessionRejected: (accountId: string) => void = () => undefined,
  ) {
    this.definitions = new Map(services.map((s) => [s.id, s]));
    const maxSockets = Math.max(settings.maxConcurrency, 8) * 2;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  }

  /**
   * The client of `service` in `region`; the caller's module knows its class (see `clientOf` in modules). With
   * `maxAttempts` (writes that must not be repeated: `{ maxAttempts: 1 }`), a client of its own whose SDK makes at
   * most that many attempts per call.
   */
  get(service: string, region: string, options: { maxAttempts?: number; accountId?: string } = {}): AwsClient {
    const maxAttempts = options.maxAttempts ?? this.settings.maxAttempts;
    const member = options.accountId ? this.credentialsOf(options.accountId) : undefined;
    // The gateway's own account's clients are one set, whatever id a caller names it by.
    const account = member ? options.accountId : '';
    const id = `${account}:${service}:${region}${maxAttempts === this.settings.maxAttempts ? '' : `:${maxAttempts}`}`;
    let client = this.clients.get(id);
    if (!client) {
      client = this.create(service, region, maxAttempts, member);
      // Every HTTP attempt, retries included, is counted against its operation's AWS-call budget.
      installAttemptHook(client);
      if (member && options.accountId) installSessionRenewal(client, options.accountId, this.sessionRejected);
      this.clients.set(id, client);
    }
    return client;
  }

  /** Builds (or reuses) a client of every service, as readiness checks do: settings resolve without a network call. */
  warmUp(defaultRegion: string, globalRegion: string): void {
    for (const definition of this.definitions.values())
      this.get(definition.id, definition.global ? globalRegion : defaultRegion);
  }

  /** How many clients exist; used by tests to prove clients are reused. */
  get size(): number {
    return this.clients.size;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private create(service: string, region: string, maxAttempts: number, member?: CredentialProvider): AwsClient {
    const definition = this.definitions.get(service);
    if (!definition) throw new Error(`No module defines the AWS service "${service}".`);
    const { endpointUrl, callTimeoutMs } = this.settings;
    const credentials = member ?? this.settings.credentials;
    return definition.createClient({
      region,
      maxAttempts,
      retryMode: this.settings.resilience.retryMode,
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
      ...(credentials ? { credentials } : {}),
      handlerOptions: {
        connectionTimeout: Math.min(callTimeoutMs, 3_000),
        requestTimeout: callTimeoutMs,
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
      },
    });
  }
}

/**
 * A call of a member account that AWS refuses for its session (expired on AWS's clock before the gateway's says
 * renew) drops that session and is sent once more, signed with a new one: the request was refused before the
 * service did anything, so sending it again is safe, writes included. A second refusal is the call's error.
 */
function installSessionRenewal(client: AwsClient, accountId: string, rejected: (accountId: string) => void): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>) =>
    async (args: unknown): Promise<unknown> => {
      try {
        return await next(args);
      } catch (error) {
        if (!isRejectedCredentials(error)) throw error;
        rejected(accountId);
        return next(args);
      }
    };
  client.middlewareStack.add(middleware, { step: 'initialize', priority: 'high', name: 'gatewaySessionRenewal' });
}
