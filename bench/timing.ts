// CPU and wall time of one measured piece of work. The machine is shared: other processes steal the
// cores, so wall time swings between runs. With one llama.cpp thread, this process's CPU time
// (user + system) measures the work itself.
export interface Timing {
  readonly cpuMs: number;
  readonly wallMs: number;
}

export async function timed(run: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

/** The sum of the values (0 for none). */
export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
