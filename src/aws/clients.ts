import http from 'node:http';
import https from 'node:https';
import { CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import { InternetMonitorClient } from '@aws-sdk/client-internetmonitor';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { NodeHttpHandler as LegacyNodeHttpHandler } from '@aws-sdk/node-http-handler';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsSettings } from '../config.js';
import type { ServiceId } from './errors.js';
import { LegacyClientRetryStrategy, installAttemptHook } from './resilience.js';

interface ClientsByService {
  profile: CustomerProfilesClient;
  personalize: PersonalizeClient;
  internetmonitor: InternetMonitorClient;
}

/**
 * One SDK client per (service, region), created on first use and reused for the life of the process: clients hold
 * connection pools and resolved credentials, so creating one per request would cost a TLS handshake per call.
 */
export class ClientRegistry {
  private readonly clients = new Map<string, ClientsByService[ServiceId]>();
  // Keep-alive sockets shared by all clients; bounded so one slow region cannot take every socket.
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly settings: AwsSettings) {
    const maxSockets = Math.max(settings.maxConcurrency, 8) * 2;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  }

  get<S extends ServiceId>(service: S, region: string): ClientsByService[S] {
    const id = `${service}:${region}`;
    let client = this.clients.get(id);
    if (!client) {
      client = this.create(service, region);
      // Every HTTP attempt, retries included, is counted against its operation's AWS-call budget.
      installAttemptHook(client as unknown as Parameters<typeof installAttemptHook>[0]);
      this.clients.set(id, client);
    }
    return client as ClientsByService[S];
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

  private create(service: ServiceId, region: string): ClientsByService[ServiceId] {
    const { endpointUrl, credentials, maxAttempts, callTimeoutMs } = this.settings;
    const retryMode = this.settings.resilience.retryMode;
    const common = {
      region,
      maxAttempts,
      retryMode,
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
      ...(credentials ? { credentials } : {}),
    };
    const handlerOptions = {
      connectionTimeout: Math.min(callTimeoutMs, 3_000),
      requestTimeout: callTimeoutMs,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
    };
    switch (service) {
      case 'profile':
        return new CustomerProfilesClient({ ...common, requestHandler: new NodeHttpHandler(handlerOptions) });
      case 'personalize':
        return new PersonalizeClient({ ...common, requestHandler: new NodeHttpHandler(handlerOptions) });
      case 'internetmonitor':
        // The 3.332 client predates @smithy; it needs the handler of its own generation, and a retry strategy that
        // works (see LegacyClientRetryStrategy).
        return new InternetMonitorClient({
          ...common,
          retryStrategy: new LegacyClientRetryStrategy(maxAttempts) as never,
          requestHandler: new LegacyNodeHttpHandler(handlerOptions),
        });
    }
  }
}
