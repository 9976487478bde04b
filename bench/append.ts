// Benchmark 1: milliseconds per 1,000 tokens appended to one session stream when it already holds
// 1k, 10k and 100k tokens. Recurrent models should stay flat; a transformer's cost grows with the
// history it attends to.
import { loadModel } from "../native/engine/index";
import type { TinyArchitecture } from "../test/models/tinyModel";

export interface AppendRow {
  arch: TinyArchitecture;
  /** Tokens already in the session when the measured 1,000 were appended. */
  at: number;
  msPer1000: number;
}

const MEASURED = 1000;
// Best of several: the machine is shared (other processes steal the core), and the minimum is the
// estimate least disturbed by them.
const REPEATS = 7;

/** A deterministic token stream over the byte vocabulary (no end-of-text token). */
function tokens(count: number, offset: number, vocabulary: number): number[] {
  return Array.from({ length: count }, (_, i) => ((i + offset) * 7919) % (vocabulary - 1));
}

export async function benchAppend(arch: TinyArchitecture, path: string, points: readonly number[], log: (line: string) => void): Promise<AppendRow[]> {
  const model = await loadModel({ path, gpu: false, threads: 1 });
  const rows: AppendRow[] = [];
  try {
    const session = await model.createSession({ contextSize: Math.max(...points) + REPEATS * MEASURED + 16 });
    const vocabulary = model.info.vocabularySize;
    for (const point of points) {
      if (session.tokenCount < point) await session.appendTokens(tokens(point - session.tokenCount, session.tokenCount, vocabulary));
      const times: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const result = await session.appendTokens(tokens(MEASURED, session.tokenCount, vocabulary));
        times.push(result.ms);
      }
      const msPer1000 = Math.min(...times);
      rows.push({ arch, at: point, msPer1000 });
      log(`  ${arch} at ${point} tokens: ${msPer1000.toFixed(1)} ms per 1,000 tokens`);
    }
    await session.dispose();
  } finally {
    await model.dispose();
  }
  return rows;
}
