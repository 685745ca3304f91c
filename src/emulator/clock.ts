/**
 * The emulator's clock: the configured one (the system clock, or `startEmulator({ now })`), moved forward on
 * request (`POST /_emulator/clock`), so tests can watch time-driven changes (a tracker becoming ACTIVE) without
 * waiting for them.
 */
export class EmulatorClock {
  private offsetMs = 0;

  constructor(private readonly base: () => Date) {}

  now(): Date {
    return new Date(this.base().getTime() + this.offsetMs);
  }

  /** Moves the clock forward (never back: time-driven changes only go one way). */
  advance(seconds: number): void {
    this.offsetMs += Math.max(0, seconds) * 1000;
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  snapshot(): { now: string; offsetSeconds: number } {
    return { now: this.now().toISOString(), offsetSeconds: this.offsetSeconds };
  }
}
