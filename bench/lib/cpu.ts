import { existsSync, readFileSync } from 'node:fs';

/**
 * How much CPU other processes took while we measured: the benchmark shares the machine, and a busy neighbour
 * slows every implementation alike but makes absolute numbers worse. Linux only (/proc); NaN elsewhere.
 */

const TICKS_PER_SECOND = 100;

function machineBusyTicks(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  return cpu.reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
}

/** CPU time (user + system) a process has used, in ms; NaN where /proc is missing. */
export function processCpuMs(pid: number): number {
  if (!existsSync(`/proc/${pid}/stat`)) return Number.NaN;
  return (processTicks(pid) * 1000) / TICKS_PER_SECOND;
}

function processTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime + stime
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export class CpuMonitor {
  private readonly supported = existsSync('/proc/stat');
  private start?: { at: number; busy: number; ours: number };

  constructor(private readonly pids: () => number[]) {}

  begin(): void {
    if (!this.supported) return;
    this.start = { at: performance.now(), busy: machineBusyTicks(), ours: this.ours() };
  }

  /** Average cores other processes kept busy since begin(). */
  end(): number {
    if (!this.supported || !this.start) return Number.NaN;
    const seconds = (performance.now() - this.start.at) / 1000;
    const foreign = machineBusyTicks() - this.start.busy - (this.ours() - this.start.ours);
    this.start = undefined;
    return Math.max(0, foreign / TICKS_PER_SECOND / Math.max(seconds, 1e-3));
  }

  private ours(): number {
    return [process.pid, ...this.pids()].reduce((sum, pid) => sum + processTicks(pid), 0);
  }
}
