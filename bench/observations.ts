// Canned observations of realistic size for benchmark 4: what `open_range` returns, a window of
// numbered lines from a source file, moving through the file step by step.
import type { Observation } from "../extension/core/tools/types";

const WINDOW_LINES = 10;
const FILE_LINES = 400;

/** Line n of a made-up TypeScript module; varied, so that windows are not repeats of each other. */
function sourceLine(n: number): string {
  switch (n % 7) {
    case 0: return `export function step${n}(input: number[], limit = ${n % 50}): number {`;
    case 1: return `  const total = input.slice(0, limit).reduce((a, b) => a + b, 0);`;
    case 2: return `  if (total > ${n * 3}) throw new RangeError(\`step${n - 2}: \${total}\`);`;
    case 3: return `  // keep the running sum for the caller (see issue #${n})`;
    case 4: return `  cache.set("k${n}", { total, at: Date.now() });`;
    case 5: return `  return total - ${n % 11};`;
    default: return "}";
  }
}

export function openRangeWindow(step: number): Observation {
  const start = ((step * 17) % (FILE_LINES - WINDOW_LINES)) + 1;
  const lines = Array.from({ length: WINDOW_LINES }, (_, i) => `${start + i}: ${sourceLine(start + i)}`);
  return { ok: true, text: `src/math.ts lines ${start}-${start + WINDOW_LINES - 1} of ${FILE_LINES}\n${lines.join("\n")}`, summary: `open_range src/math.ts ${start}` };
}
