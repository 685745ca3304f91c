import {
  InternalServerException,
  InternetMonitorClient,
  InternetMonitorServiceException,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-internetmonitor';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadFixturesFile, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import {
  GetInternetEventCommand,
  ListInternetEventsCommand,
  loadRestJsonErrorCode,
  parseTimestamp,
  sanitizeErrorCode,
} from '../../src/modules/internet-monitor/commands.js';

const FIXTURES = new URL('../fixtures/emulator-small.json', import.meta.url).pathname;
const NOW = new Date('2024-06-01T00:00:00Z');

let emulator: RunningEmulator;
const clients: InternetMonitorClient[] = [];

function client(options: { region?: string; maxAttempts?: number } = {}) {
  const created = new InternetMonitorClient({
    endpoint: emulator.url,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: options.maxAttempts ?? 1,
  });
  clients.push(created);
  return created;
}

/** A client that records the query of every request it sends. */
function recordingClient() {
  const queries: Array<Record<string, unknown>> = [];
  const recording = client();
  recording.middlewareStack.add(
    (next) => async (args) => {
      queries.push({ ...((args.request as { query?: Record<string, unknown> }).query ?? {}) });
      return next(args);
    },
    { step: 'build', name: 'recordQuery' },
  );
  return { client: recording, queries };
}

async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emulator = await startEmulator({ fixtures: loadFixturesFile(FIXTURES), now: () => NOW });
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.reset();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await emulator.close();
});

describe('GetInternetEventCommand', () => {
  it('returns the official output shape with Dates and numbers through the 3.332 client', async () => {
    const out = await client().send(new GetInternetEventCommand({ EventId: 'event-2-resolved-avail' }));
    expect(out).toEqual({
      $metadata: expect.objectContaining({ httpStatusCode: 200, requestId: expect.any(String), attempts: 1 }),
      EventId: 'event-2-resolved-avail',
      EventArn: 'arn:aws:internetmonitor::444455556666:internet-event/custom-arn-2',
      StartedAt: new Date('2024-05-02T10:00:00.125Z'),
      EndedAt: new Date('2024-05-02T12:30:00Z'),
      ClientLocation: {
        ASName: 'DTAG Internet service provider operations',
        ASNumber: 3320,
        Country: 'Germany',
        City: 'Frankfurt am Main',
        Latitude: 50.1109,
        Longitude: 8.6821,
      },
      EventType: 'AVAILABILITY',
      EventStatus: 'RESOLVED',
    });
  });

  it('reads a 4-byte AS number as a plain number', async () => {
    const out = await client().send(new GetInternetEventCommand({ EventId: 'event-1-active-perf' }));
    expect(out.ClientLocation!.ASNumber).toBe(4200000001);
    expect(out.EndedAt).toBeUndefined();
  });

  it('is signed for internetmonitor in the client region', async () => {
    await client({ region: 'eu-central-1' }).send(new GetInternetEventCommand({ EventId: 'event-1-active-perf' }));
    expect(emulator.stats().byRegion).toEqual({ 'eu-central-1': { 'internetmonitor:GetInternetEvent': 1 } });
  });

  it('rejects an empty EventId before any call is made', async () => {
    const error = await failure(client().send(new GetInternetEventCommand({ EventId: '' })));
    expect(error.message).toContain('EventId');
    expect(emulator.stats().total).toBe(0);
  });

  it('encodes the EventId as a single path label', async () => {
    const error = await failure(client().send(new GetInternetEventCommand({ EventId: 'a/b' })));
    expect(error).toBeInstanceOf(ValidationException);
  });
});

describe('ListInternetEventsCommand', () => {
  it('sends MaxResults as InternetEventMaxResults and timestamps as RFC 3339', async () => {
    const { client: recording, queries } = recordingClient();
    await recording.send(
      new ListInternetEventsCommand({
        MaxResults: 2,
        StartTime: new Date('2024-05-02T00:00:00Z'),
        EndTime: new Date('2024-05-04T10:00:00.500Z'),
        EventStatus: 'ACTIVE',
        EventType: 'AVAILABILITY',
      }),
    );
    expect(queries).toEqual([
      {
        InternetEventMaxResults: '2',
        StartTime: '2024-05-02T00:00:00Z',
        EndTime: '2024-05-04T10:00:00.500Z',
        EventStatus: 'ACTIVE',
        EventType: 'AVAILABILITY',
      },
    ]);
  });

  it('sends no query parameters for an empty input', async () => {
    const { client: recording, queries } = recordingClient();
    await recording.send(new ListInternetEventsCommand({}));
    expect(queries).toEqual([{}]);
  });

  it('returns summaries with Dates and follows NextToken across pages', async () => {
    const c = client();
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await c.send(new ListInternetEventsCommand({ MaxResults: 2, NextToken: token }));
      for (const event of page.InternetEvents!) expect(event.StartedAt).toBeInstanceOf(Date);
      ids.push(...page.InternetEvents!.map((e) => e.EventId!));
      token = page.NextToken;
    } while (token);
    expect(ids).toEqual([
      'event-1-active-perf',
      'event-2-resolved-avail',
      'event-3-resolved-perf',
      'event-4-active-avail',
      'event-5-resolved-perf',
    ]);
    expect(emulator.stats().calls).toEqual({ 'internetmonitor:ListInternetEvents': 3 });
  });

  it('applies the time window on the service side', async () => {
    const out = await client().send(
      new ListInternetEventsCommand({
        StartTime: new Date('2024-05-03T00:00:00Z'),
        EndTime: new Date('2024-05-03T23:59:59Z'),
      }),
    );
    expect(out.InternetEvents!.map((e) => e.EventId)).toEqual(['event-3-resolved-perf']);
  });
});

describe('errors', () => {
  it('a validation error is the client’s ValidationException with status and request id', async () => {
    const error = await failure(client().send(new ListInternetEventsCommand({ EventType: 'OUTAGE' })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error).toBeInstanceOf(InternetMonitorServiceException);
    expect(error.name).toBe('ValidationException');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain('eventType');
  });

  it('an unknown EventId is the client’s ResourceNotFoundException', async () => {
    const error = await failure(client().send(new GetInternetEventCommand({ EventId: 'missing' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('throttling is a retryable ThrottlingException and the client’s retry strategy retries it', async () => {
    emulator.setFaults({ rules: [{ service: 'internetmonitor', throttleRate: 1 }] });
    const error = await failure(
      client({ maxAttempts: 2 }).send(new GetInternetEventCommand({ EventId: 'event-1-active-perf' })),
    );
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error.$retryable).toEqual({ throttling: true });
    expect(error.$metadata.attempts).toBeGreaterThan(1);
    expect(emulator.stats().calls['internetmonitor:GetInternetEvent']).toBe(error.$metadata.attempts);
  });

  it('a server error is InternalServerException with $fault server', async () => {
    emulator.setFaults({ rules: [{ service: 'internetmonitor', errorRate: 1 }] });
    const error = await failure(client().send(new ListInternetEventsCommand({})));
    expect(error).toBeInstanceOf(InternalServerException);
    expect(error.$fault).toBe('server');
    expect(error.$metadata.httpStatusCode).toBe(500);
  });

  it.each([
    ['GetInternetEvent', () => new GetInternetEventCommand({ EventId: 'event-2-resolved-avail' })],
    ['ListInternetEvents', () => new ListInternetEventsCommand({})],
  ])('a 200 whose body is not JSON is an error of %s, not an empty answer', async (operation, command) => {
    emulator.setFaults({ rules: [{ service: 'internetmonitor', corruptBodyRate: 1 }] });
    const error = await failure(client().send(command() as never));
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 200, requestId: expect.any(String) });
    expect(error.$responseBodyText).toMatch(/^\{"/);
    expect(emulator.stats().calls[`internetmonitor:${operation}`]).toBe(1);
  });

  it('an unmodelled error becomes an InternetMonitorServiceException named by its code', async () => {
    emulator.setFaults({ rules: [{ service: 'internetmonitor', down: true }] });
    const error = await failure(client().send(new ListInternetEventsCommand({})));
    expect(error).toBeInstanceOf(InternetMonitorServiceException);
    expect(error.name).toBe('ServiceUnavailable');
    expect(error.$fault).toBe('server');
    expect(error.$metadata.httpStatusCode).toBe(503);
  });
});

describe('error code cleaning', () => {
  it.each([
    ['FooError', 'FooError'],
    ['FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/', 'FooError'],
    ['aws.protocoltests.restjson#FooError', 'FooError'],
    ['aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/', 'FooError'],
    ['FooError,BarError', 'FooError'],
  ])('%s resolves to %s', (raw, code) => {
    expect(sanitizeErrorCode(raw)).toBe(code);
  });

  it('prefers the x-amzn-errortype header (any case), then body code, then __type', () => {
    expect(loadRestJsonErrorCode({ headers: { 'X-Amzn-ErrorType': 'A' } }, { code: 'B', __type: 'C' })).toBe('A');
    expect(loadRestJsonErrorCode({ headers: {} }, { Code: 'B', __type: 'C' })).toBe('B');
    expect(loadRestJsonErrorCode({ headers: {} }, { __type: 'ns#C' })).toBe('C');
    expect(loadRestJsonErrorCode({ headers: {} }, {})).toBeUndefined();
  });
});

describe('timestamp parsing', () => {
  it.each([
    ['2024-04-18T10:00:00Z', '2024-04-18T10:00:00.000Z'],
    ['2024-04-18T10:00:00.123456Z', '2024-04-18T10:00:00.123Z'],
    ['2024-04-18T12:00:00+02:00', '2024-04-18T10:00:00.000Z'],
    ['2024-04-18t10:00:00z', '2024-04-18T10:00:00.000Z'],
  ])('accepts %s', (text, iso) => {
    expect(parseTimestamp(text)!.toISOString()).toBe(iso);
  });

  it('accepts epoch seconds if the service ever sends the Smithy default', () => {
    expect(parseTimestamp(1713434400.5)!.toISOString()).toBe('2024-04-18T10:00:00.500Z');
  });

  it('rejects what is not a timestamp', () => {
    expect(() => parseTimestamp('soon')).toThrow();
  });
});
