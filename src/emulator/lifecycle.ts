import { putEventTracker, removeEventTracker } from './region-writes.js';
import type { EmulatorStore } from './store.js';

/**
 * How long a tracker spends in each status, on the emulator's clock (`POST /_emulator/clock` moves it): a new one
 * is `CREATE PENDING`, then `CREATE IN_PROGRESS`, then `ACTIVE`; a deleted one is `DELETE PENDING`, then gone.
 */
export const TRACKER_PHASES = {
  /** CREATE PENDING for the first 10 s after CreateEventTracker. */
  createPendingSeconds: 10,
  /** CREATE IN_PROGRESS until 60 s after it; ACTIVE from then on. */
  activeAfterSeconds: 60,
  /** DELETE PENDING for 30 s after DeleteEventTracker; then it is gone. */
  goneAfterSeconds: 30,
} as const;

function seconds(since: Date, now: Date): number {
  return (now.getTime() - since.getTime()) / 1000;
}

/** The status a tracker created at `createdAt` has `now`, and since when. */
function creationStatus(createdAt: Date, now: Date): { status: string; since: Date } {
  const elapsed = seconds(createdAt, now);
  const at = (s: number) => new Date(createdAt.getTime() + s * 1000);
  if (elapsed < TRACKER_PHASES.createPendingSeconds) return { status: 'CREATE PENDING', since: createdAt };
  if (elapsed < TRACKER_PHASES.activeAfterSeconds)
    return { status: 'CREATE IN_PROGRESS', since: at(TRACKER_PHASES.createPendingSeconds) };
  return { status: 'ACTIVE', since: at(TRACKER_PHASES.activeAfterSeconds) };
}

/**
 * Brings every moving tracker to the status it has `now` (before each operation, so every read sees the clock's
 * state): a created one a step along, a deleted one gone once its time has come. Trackers at rest are dropped from
 * the set, so this costs nothing when nothing moves.
 */
export function settleTrackers(store: EmulatorStore, now: Date): void {
  for (const [arn, lifecycle] of store.trackerLifecycles) {
    const tracker = store.region(lifecycle.region).eventTrackersByArn.get(arn);
    if (!tracker) {
      store.trackerLifecycles.delete(arn);
      continue;
    }
    if (lifecycle.deleteRequestedAt) {
      if (seconds(lifecycle.deleteRequestedAt, now) >= TRACKER_PHASES.goneAfterSeconds) {
        removeEventTracker(store, lifecycle.region, arn);
        store.trackerLifecycles.delete(arn);
      } else if (tracker.status !== 'DELETE PENDING') {
        putEventTracker(store, lifecycle.region, {
          ...tracker,
          status: 'DELETE PENDING',
          lastUpdatedDateTime: lifecycle.deleteRequestedAt,
        });
      }
      continue;
    }
    if (!lifecycle.createdAt) continue;
    const { status, since } = creationStatus(lifecycle.createdAt, now);
    if (status !== tracker.status)
      putEventTracker(store, lifecycle.region, { ...tracker, status, lastUpdatedDateTime: since });
    if (status === 'ACTIVE') store.trackerLifecycles.delete(arn);
  }
}
