// Benchmark 1: milliseconds per 1,000 tokens appended to one session stream when it already holds
// 1k, 10k and 100k tokens. Recurrent models should stay flat; a transformer's cost grows with the
// history it attends to.
import { loadModel, type EngineModel } from "../native/engine/index";
import type { TinyArchitecture } from "../test/models/tinyModel";
import { timed, type Timing } from "./timing";

export interface AppendRow {
  arch: TinyArchitecture;
  /** Tokens already in the session when the measured 1,000 were appended. */
  at: number;
  /** CPU time of this process (user + system): unaffected by other processes sharing the cores. */
  msPer1000: number;
  wallMsPer1000: number;
}

const MEASURED = 1000;
// Best of several repeats of CPU time (see timing.ts): the machine is shared.
const REPEATS = 7;

/** A deterministic token stream over the byte vocabulary (no end-of-text token). */
function tokens(count: number, offset: number, vocabulary: number): number[] {
  return Array.from({ length: count }, (_, i) => ((i + offset) * 7919) % (vocabulary - 1));
}

/**
 * In one run the first thousands of tokens after loading cost 38 CPU ms per 1,000 (best of 7) against
 * 29 ms later, so the 1k point, not the session length, set the flatness ratio: warm up on a
 * throwaway session first.
 */
async function warmUp(model: EngineModel): Promise<void> {
  const session = await model.createSession({ contextSize: 4 * MEASURED + 16 });
  for (let r = 0; r < 3; r++) await session.appendTokens(tokens(MEASURED, session.tokenCount, model.info.vocabularySize));
  await session.dispose();
}

export async function benchAppend(arch: TinyArchitecture, path: string, points: readonly number[], log: (line: string) => void): Promise<AppendRow[]> {
  const model = await loadModel({ path, gpu: false, threads: 1 });
  const rows: AppendRow[] = [];
  try {
    await warmUp(model);
    const session = await model.createSession({ contextSize: Math.max(...points) + points.length * REPEATS * MEASURED + 16 });
    const vocabulary = model.info.vocabularySize;
    for (const point of points) {
      if (session.tokenCount < point) await session.appendTokens(tokens(point - session.tokenCount, session.tokenCount, vocabulary));
      const runs: Timing[] = [];
      for (let r = 0; r < REPEATS; r++) runs.push(await timed(() => session.appendTokens(tokens(MEASURED, session.tokenCount, vocabulary))));
      const msPer1000 = Math.min(...runs.map((r) => r.cpuMs));
      const wallMsPer1000 = Math.min(...runs.map((r) => r.wallMs));
      rows.push({ arch, at: point, msPer1000, wallMsPer1000 });
      log(`  ${arch} at ${point} tokens: ${msPer1000.toFixed(1)} CPU ms (${wallMsPer1000.toFixed(1)} wall ms) per 1,000 tokens`);
    }
    await session.dispose();
  } finally {
    await model.dispose();
  }
  return rows;
}

export interface LongAppendRow {
  arch: TinyArchitecture;
  at: number;
  msPer1000: number;
  wallMsPer1000: number;
  /** Resident set size of this process right after the measured appends. */
  rssMiB: number;
}

/**
 * Benchmark 7: one recurrent session taken to 1,000,000 tokens; the cost of appending 1,000 more
 * there against at 1k (same session, same warm-up), and the process's RSS at both ends.
 */
export async function benchAppendLong(arch: TinyArchitecture, path: string, points: readonly number[], log: (line: string) => void): Promise<LongAppendRow[]> {
  const model = await loadModel({ path, gpu: false, threads: 1 });
  const rows: LongAppendRow[] = [];
  try {
    await warmUp(model);
    const session = await model.createSession({});
    const vocabulary = model.info.vocabularySize;
    for (const point of points) {
      while (session.tokenCount < point) await session.appendTokens(tokens(Math.min(50_000, point - session.tokenCount), session.tokenCount, vocabulary));
      const runs: Timing[] = [];
      for (let r = 0; r < REPEATS; r++) runs.push(await timed(() => session.appendTokens(tokens(MEASURED, session.tokenCount, vocabulary))));
      const row = { arch, at: point, msPer1000: Math.min(...runs.map((r) => r.cpuMs)), wallMsPer1000: Math.min(...runs.map((r) => r.wallMs)), rssMiB: process.memoryUsage().rss / 2 ** 20 };
      rows.push(row);
      log(`  ${arch} at ${point} tokens: ${row.msPer1000.toFixed(1)} CPU ms (${row.wallMsPer1000.toFixed(1)} wall ms) per 1,000 tokens; RSS ${row.rssMiB.toFixed(0)} MiB`);
    }
    await session.dispose();
  } finally {
    await model.dispose();
  }
  return rows;
}
