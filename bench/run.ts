// `npm run bench`: runs the benchmarks on tiny generated models (CPU, one thread), prints the
// figures and writes bench/results.md, bench/results.json and bench/chart.png. Figures, not timed
// tests: nothing here fails on a slow box, except the recurrent flatness check of benchmark 1,
// which is the product's central claim.
// 5-7 (activation, harness overhead, a 1M-token session): `--only 5,6,7` runs just those.
// `--only 1,4` runs some benchmarks and takes the others' figures from the last results.json;
// `--report-only` runs none and redraws results.md and chart.png from it.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { writeTinyModel, type TinyArchitecture } from "../test/models/tinyModel";
import { benchActivation } from "./activation";
import { benchAppend, benchAppendLong } from "./append";
import { benchHarness } from "./harness";
import { benchFromGit } from "./fromGit";
import { writeChart } from "./chart";
import { appendRatio, renderReport } from "./report";
import { emptyResults, readResults, writeResults, type BenchResults } from "./results";
import { benchServer } from "./server";
import { benchSnapshots } from "./snapshots";
import { benchStreamVsChat } from "./streamVsChat";
import { benchToolCalls } from "./toolcalls";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BENCH_DIR = join(REPO_ROOT, "bench");
const MODELS = join(REPO_ROOT, ".cache", "models");
const RECURRENT: TinyArchitecture[] = ["mamba2", "rwkv7"];
const POINTS = [1_000, 10_000, 100_000];
// Attention over 100k tokens on one CPU thread takes many minutes; the baseline stops earlier and says so.
const TRANSFORMER_POINTS = [1_000, 5_000, 10_000];
const FLATNESS_LIMIT = 1.2;
const log = (line: string) => console.log(line);

async function modelPath(arch: TinyArchitecture): Promise<string> {
  const path = join(MODELS, `bench-${arch}.gguf`);
  if (!existsSync(path)) await writeTinyModel({ arch, seed: 1, path });
  return path;
}

/** Returns the failures of the flatness check. */
async function runAppend(results: BenchResults): Promise<string[]> {
  log("benchmark 1: ms per 1,000 tokens appended, by tokens already in the session (1 thread, CPU time, best of 7)");
  results.append = [];
  for (const arch of RECURRENT) results.append.push(...(await benchAppend(arch, await modelPath(arch), POINTS, log)));
  results.append.push(...(await benchAppend("llama", await modelPath("llama"), TRANSFORMER_POINTS, log)));
  const failures: string[] = [];
  for (const arch of RECURRENT) {
    const r = appendRatio(results.append, arch, 1_000, 100_000)!;
    log(`  ${arch}: at 100k / at 1k = ${r.toFixed(2)} (limit ${FLATNESS_LIMIT})`);
    if (r > FLATNESS_LIMIT) failures.push(`${arch} ratio ${r.toFixed(2)} > ${FLATNESS_LIMIT}`);
  }
  log(`  llama: at 10k / at 1k = ${appendRatio(results.append, "llama", 1_000, 10_000)?.toFixed(2)}`);
  return failures;
}

async function runToolCalls(results: BenchResults): Promise<void> {
  log("benchmark 2: ms per generated tool call, constrained vs free");
  // Recurrent models only: the transformer's per-call cost here is dominated by its huge context.
  results.toolCalls = (await benchToolCalls({ archs: RECURRENT, calls: 20 })).rows;
  for (const r of results.toolCalls) log(`  ${r.arch} ${r.mode}: ${r.msPerCall.toFixed(1)} ms per call`);
}

async function runSnapshots(results: BenchResults): Promise<void> {
  log("benchmark 3: snapshot size and save/restore time");
  results.snapshots = [];
  for (const arch of RECURRENT) results.snapshots.push(...(await benchSnapshots(arch, await modelPath(arch), [1_000, 10_000, 100_000], log)));
  results.snapshots.push(...(await benchSnapshots("llama", await modelPath("llama"), [1_000, 10_000], log)));
}

async function runStreamVsChat(results: BenchResults): Promise<void> {
  log("benchmark 4: 300 steps on the append-only stream vs chat-style (whole history re-sent every step)");
  results.streamVsChat = [];
  for (const arch of RECURRENT) results.streamVsChat.push(await benchStreamVsChat(arch, await modelPath(arch), { steps: 300, sampleEvery: 30 }, log));
}

async function runActivation(results: BenchResults): Promise<void> {
  log("benchmark 5: extension activation in a real VS Code (code-server), 3 fresh launches");
  results.activation = benchActivation(REPO_ROOT, 3, log);
}

async function runHarness(results: BenchResults): Promise<void> {
  log("benchmark 6: harness overhead per step without a model (tool + commit + trace + snapshot), 100 steps");
  results.harness = await benchHarness(100, log);
}

async function runLongAppend(results: BenchResults): Promise<void> {
  log("benchmark 7: one recurrent session at 1,000,000 tokens vs 1k: ms per 1,000 appended, RSS");
  results.longAppend = await benchAppendLong("mamba2", await modelPath("mamba2"), [1_000, 1_000_000], log);
}

function runFromGit(results: BenchResults): void {
  log("benchmark 8: from-git --check, commits converted and replayed per minute in one VS Code launch, by commits in the launch");
  results.fromGit = benchFromGit(join(REPO_ROOT, "dist", "cli.mjs"), [5, 20], log);
}

async function runServer(results: BenchResults): Promise<void> {
  log("benchmark 9: one session in-process vs llama-server (tokens/s), and 1, 2, 4, 8 sessions at once on one server (-np 8)");
  results.server = await benchServer(REPO_ROOT, await modelPath("mamba2"), { turns: 20, counts: [1, 2, 4, 8] }, log);
}

const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9];

function selectedBenchmarks(argv: readonly string[]): Set<number> {
  if (argv.includes("--report-only")) return new Set();
  const only = argv.find((a) => a.startsWith("--only"));
  const value = only?.includes("=") ? only.split("=")[1] : only ? argv[argv.indexOf(only) + 1] : undefined;
  if (only === undefined) return new Set(ALL);
  const picked = (value ?? "").split(",").map(Number);
  if (picked.length === 0 || picked.some((n) => !ALL.includes(n))) throw new Error(`--only takes benchmark numbers 1-9, e.g. --only 5,6,7 (got ${value ?? "nothing"})`);
  return new Set(picked);
}

async function main(): Promise<void> {
  const selected = selectedBenchmarks(process.argv.slice(2));
  const started = performance.now();
  const resultsPath = join(BENCH_DIR, "results.json");
  const results = selected.size === ALL.length ? emptyResults() : await readResults(resultsPath);
  const today = new Date().toISOString().slice(0, 10);
  const failures: string[] = [];
  if (selected.has(1)) { failures.push(...(await runAppend(results))); results.dates.append = today; }
  if (selected.has(2)) { await runToolCalls(results); results.dates.toolCalls = today; }
  if (selected.has(3)) { await runSnapshots(results); results.dates.snapshots = today; }
  if (selected.has(4)) { await runStreamVsChat(results); results.dates.streamVsChat = today; }
  if (selected.has(5)) { await runActivation(results); results.dates.activation = today; }
  if (selected.has(6)) { await runHarness(results); results.dates.harness = today; }
  if (selected.has(7)) { await runLongAppend(results); results.dates.longAppend = today; }
  if (selected.has(8)) { runFromGit(results); results.dates.fromGit = today; }
  if (selected.has(9)) { await runServer(results); results.dates.server = today; }

  const seconds = (performance.now() - started) / 1000;
  if (selected.size > 0) results.seconds = seconds;
  await writeResults(resultsPath, results);
  await writeFile(join(BENCH_DIR, "results.md"), renderReport(results, { transformerLimit: TRANSFORMER_POINTS.at(-1)! }));
  await writeChart(results, join(BENCH_DIR, "chart.png"));
  log(`wrote bench/results.md, bench/results.json, bench/chart.png (${seconds.toFixed(0)} s)`);
  if (failures.length) {
    console.error(`FLATNESS CHECK FAILED: ${failures.join("; ")}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
