import type { DomainRecord, EmulatorStore, EventStreamRecord, EventTrackerRecord, RegionStore } from './store.js';

/*
 * What writes do to a region's data: each builds the region anew around the changed record (lists keep their
 * order, a new item goes last, as AWS lists newest last here) and hands it to the store. Records are never changed
 * in place, so the fixtures' stay intact for a reset.
 */

function withDomain(region: RegionStore, domain: DomainRecord): RegionStore {
  const domains = new Map(region.domains);
  domains.set(domain.DomainName, domain);
  return { ...region, domains };
}

function domainWithStreams(domain: DomainRecord, eventStreams: readonly EventStreamRecord[]): DomainRecord {
  return {
    ...domain,
    eventStreams,
    eventStreamsByName: new Map(eventStreams.map((s) => [s.EventStreamName, s])),
  };
}

/** Adds the stream to its domain, or replaces the one of its name (keeping its place). */
export function putEventStream(store: EmulatorStore, region: string, stream: EventStreamRecord): void {
  const current = store.region(region);
  const domain = current.domains.get(stream.DomainName);
  if (!domain) throw new Error(`No domain ${stream.DomainName} in ${region}`);
  const exists = domain.eventStreamsByName.has(stream.EventStreamName);
  const eventStreams = exists
    ? domain.eventStreams.map((s) => (s.EventStreamName === stream.EventStreamName ? stream : s))
    : [...domain.eventStreams, stream];
  store.setRegion(region, withDomain(current, domainWithStreams(domain, eventStreams)));
}

export function removeEventStream(store: EmulatorStore, region: string, domainName: string, name: string): void {
  const current = store.region(region);
  const domain = current.domains.get(domainName);
  if (!domain) return;
  const eventStreams = domain.eventStreams.filter((s) => s.EventStreamName !== name);
  store.setRegion(region, withDomain(current, domainWithStreams(domain, eventStreams)));
}

function withTrackers(region: RegionStore, eventTrackers: readonly EventTrackerRecord[]): RegionStore {
  return { ...region, eventTrackers, eventTrackersByArn: new Map(eventTrackers.map((t) => [t.eventTrackerArn, t])) };
}

/** Adds the tracker, or replaces the one of its ARN (keeping its place). */
export function putEventTracker(store: EmulatorStore, region: string, tracker: EventTrackerRecord): void {
  const current = store.region(region);
  const exists = current.eventTrackersByArn.has(tracker.eventTrackerArn);
  const eventTrackers = exists
    ? current.eventTrackers.map((t) => (t.eventTrackerArn === tracker.eventTrackerArn ? tracker : t))
    : [...current.eventTrackers, tracker];
  store.setRegion(region, withTrackers(current, eventTrackers));
}

export function removeEventTracker(store: EmulatorStore, region: string, arn: string): void {
  const current = store.region(region);
  if (!current.eventTrackersByArn.has(arn)) return;
  store.setRegion(
    region,
    withTrackers(
      current,
      current.eventTrackers.filter((t) => t.eventTrackerArn !== arn),
    ),
  );
}
