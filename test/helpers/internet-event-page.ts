import type { CacheEntry } from '../../src/cache/store.js';
import { generateFixtures } from '../../src/emulator/generate.js';
import type { InternetEventSummary } from '../../src/modules/internet-monitor/commands.js';
import { toInternetEvent } from '../../src/modules/internet-monitor/mappers.js';

/** ListInternetEvents as it comes off the wire: the JSON text of 100 summaries from generated data. */
export function internetEventsWireText(count = 100, seed = 1): string {
  const fixtures = generateFixtures({ internetEvents: count, seed });
  const events = fixtures.internetMonitor!.internetEvents.map((e) => ({
    ...e,
    EventArn: e.EventArn ?? `arn:aws:internetmonitor::${fixtures.accountId}:internet-event/${e.EventId}`,
  }));
  return JSON.stringify(events);
}

/**
 * A cached ListInternetEvents page built the way the loader builds it: parsed from wire JSON (fresh strings, Dates
 * from the SDK) and mapped by `toInternetEvent`, so its heap footprint is that of the real entry.
 */
export function internetEventPageEntry(wireText: string, nextToken = 'x'.repeat(44)): CacheEntry {
  const summaries = (JSON.parse(wireText) as Array<Record<string, unknown>>).map(
    (s) =>
      ({
        ...s,
        StartedAt: new Date(s.StartedAt as string),
        EndedAt: s.EndedAt === undefined ? undefined : new Date(s.EndedAt as string),
      }) as InternetEventSummary,
  );
  return { v: { items: summaries.map(toInternetEvent), nextToken }, x: Date.now() + 60_000 };
}
