// The figures of one `npm run bench`, kept as bench/results.json beside results.md so that the chart
// (and a run of selected benchmarks, `--only 4`) can reuse the others' last figures.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type { ActivationRow } from "./activation";
import type { AppendRow, LongAppendRow } from "./append";
import type { HarnessRow } from "./harness";
import type { FromGitRow } from "./fromGit";
import type { ServerBenchResult } from "./server";
import type { SnapshotRow } from "./snapshots";
import type { StreamVsChatRow } from "./streamVsChat";
import type { ToolCallBenchRow } from "./toolcalls";

export interface BenchResults {
  /** ISO date of the run that produced each part (parts may come from different runs). */
  dates: Partial<Record<BenchPart, string>>;
  /** Wall time of the last run that measured something. */
  seconds: number;
  append: AppendRow[];
  toolCalls: readonly ToolCallBenchRow[];
  snapshots: SnapshotRow[];
  streamVsChat: StreamVsChatRow[];
  activation?: ActivationRow;
  harness?: HarnessRow;
  longAppend: LongAppendRow[];
  fromGit: FromGitRow[];
  /** Benchmark 9: in-process vs llama-server, and sessions at once on one server. */
  server?: ServerBenchResult;
}

export const BENCH_PARTS = ["append", "toolCalls", "snapshots", "streamVsChat", "activation", "harness", "longAppend", "fromGit", "server"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export function emptyResults(): BenchResults {
  return { dates: {}, seconds: 0, append: [], toolCalls: [], snapshots: [], streamVsChat: [], longAppend: [], fromGit: [] };
}

export async function readResults(path: string): Promise<BenchResults> {
  if (!existsSync(path)) return emptyResults();
  return { ...emptyResults(), ...(JSON.parse(await readFile(path, "utf8")) as Partial<BenchResults>) };
}

export async function writeResults(path: string, results: BenchResults): Promise<void> {
  await writeFile(path, `${JSON.stringify(results)}\n`);
}
