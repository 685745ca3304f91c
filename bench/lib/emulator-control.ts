import type { EmulatorStats, RunningEmulator } from '../../src/emulator/index.js';

/** The emulator's call counters, whether it runs in this process or in another (through /_emulator). */
export interface EmulatorControl {
  stats(): Promise<EmulatorStats>;
  reset(): Promise<void>;
  /** The latency added to every AWS call (the emulator's `latencyMs` fault). */
  setLatency(ms: number): Promise<void>;
}

export function inProcessEmulator(emulator: RunningEmulator): EmulatorControl {
  return {
    stats: async () => emulator.stats(),
    reset: async () => emulator.reset(),
    setLatency: async (ms) => emulator.setFaults({ latencyMs: ms }),
  };
}

export function remoteEmulator(url: string): EmulatorControl {
  const admin = (path: string) => new URL(`/_emulator/${path}`, url).toString();
  return {
    async stats() {
      const res = await fetch(admin('stats'), { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`emulator stats: HTTP ${res.status}`);
      return (await res.json()) as EmulatorStats;
    },
    async reset() {
      const res = await fetch(admin('reset'), { method: 'POST', signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`emulator reset: HTTP ${res.status}`);
    },
    async setLatency(ms) {
      const res = await fetch(admin('faults'), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs: ms }),
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`emulator faults: HTTP ${res.status}`);
    },
  };
}
