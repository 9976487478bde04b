// Line hunks between two versions of a file, from jsdiff's Myers diff of the line arrays: each hunk
// is a run of old lines replaced by a run of new lines, addressed in the old file's numbering.
import { diffArrays } from "diff";

export interface Hunk {
  /** 1-based first old line replaced; for a pure insertion, the line the new lines go before. */
  readonly oldStart: number;
  /** Old lines removed (0 for a pure insertion). */
  readonly oldCount: number;
  /** The lines that take their place. */
  readonly newLines: readonly string[];
}

export function lineHunks(oldLines: readonly string[], newLines: readonly string[]): Hunk[] {
  const hunks: Hunk[] = [];
  let oldLine = 1;
  let pending: { oldStart: number; oldCount: number; newLines: string[] } | undefined;
  const flush = () => {
    if (pending) hunks.push(pending);
    pending = undefined;
  };
  for (const change of diffArrays([...oldLines], [...newLines])) {
    const count = change.value.length;
    if (!change.added && !change.removed) {
      flush();
      oldLine += count;
      continue;
    }
    pending ??= { oldStart: oldLine, oldCount: 0, newLines: [] };
    if (change.removed) {
      pending.oldCount += count;
      oldLine += count;
    } else pending.newLines.push(...change.value);
  }
  flush();
  return hunks;
}

/** Joins neighbouring hunks i..j (in file order) into one that also rewrites the unchanged lines between them. */
export function mergeHunks(oldLines: readonly string[], hunks: readonly Hunk[]): Hunk {
  const first = hunks[0]!;
  const last = hunks[hunks.length - 1]!;
  const newLines: string[] = [];
  for (let i = 0; i < hunks.length; i++) {
    const h = hunks[i]!;
    newLines.push(...h.newLines);
    const next = hunks[i + 1];
    if (next) newLines.push(...oldLines.slice(h.oldStart - 1 + h.oldCount, next.oldStart - 1));
  }
  return { oldStart: first.oldStart, oldCount: last.oldStart + last.oldCount - first.oldStart, newLines };
}
