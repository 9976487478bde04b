// bench/results.md: the figures of bench/results.json as markdown tables.
import type { FromGitRow } from "./fromGit";
import type { ServerBenchResult, ServerSingleRow } from "./server";
import type { AppendRow } from "./append";
import type { BenchResults } from "./results";
import type { SnapshotRow } from "./snapshots";
import type { StreamVsChatRow } from "./streamVsChat";
import type { ToolCallBenchRow } from "./toolcalls";

/** Benchmark 1's growth: ms per 1,000 tokens at `to` tokens in the session over at `from`. */
export function appendRatio(rows: readonly AppendRow[], arch: string, from: number, to: number): number | undefined {
  const a = rows.find((r) => r.arch === arch && r.at === from);
  const b = rows.find((r) => r.arch === arch && r.at === to);
  return a && b ? b.msPer1000 / a.msPer1000 : undefined;
}

export function lastAppendPoint(rows: readonly AppendRow[], arch: string): number {
  return Math.max(...rows.filter((r) => r.arch === arch).map((r) => r.at));
}

function appendTable(rows: readonly AppendRow[]): string {
  const archs = [...new Set(rows.map((r) => r.arch))];
  const points = [...new Set(rows.map((r) => r.at))].sort((a, b) => a - b);
  const header = `| model | ${points.map((p) => `at ${p / 1000}k`).join(" | ")} | last / 1k |\n|---|${points.map(() => "---:").join("|")}|---:|`;
  const lines = archs.map((arch) => {
    const cells = points.map((p) => {
      const row = rows.find((r) => r.arch === arch && r.at === p);
      return row ? `${row.msPer1000.toFixed(1)} (${row.wallMsPer1000.toFixed(1)})` : "—";
    });
    const last = lastAppendPoint(rows, arch);
    return `| ${arch} | ${cells.join(" | ")} | ${appendRatio(rows, arch, 1_000, last)?.toFixed(2) ?? "—"} (${last / 1000}k) |`;
  });
  return [header, ...lines].join("\n");
}

function snapshotTable(rows: readonly SnapshotRow[]): string {
  return ["| model | tokens | size | save ms | restore ms |", "|---|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.arch} | ${r.tokens} | ${(r.bytes / 1024).toFixed(0)} KiB | ${r.saveMs.toFixed(1)} | ${r.restoreMs.toFixed(1)} |`)].join("\n");
}

function toolCallTable(rows: readonly ToolCallBenchRow[]): string {
  return ["| model | mode | calls | tokens | ms per call | ms per token |", "|---|---|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.arch} | ${r.mode} | ${r.calls} | ${r.tokens} | ${r.msPerCall.toFixed(1)} | ${r.msPerToken.toFixed(2)} |`)].join("\n");
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const thousands = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)}k`);

function streamVsChatTable(rows: readonly StreamVsChatRow[]): string {
  const header = "| model (format) | steps | stream: tokens evaluated | stream: CPU time | chat-style: tokens evaluated | chat-style: CPU time | time ratio | token ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|";
  const lines = rows.map((r) => {
    const streamMs = r.stream.setup.cpuMs + r.stream.perStep.reduce((a, s) => a + s.cpuMs, 0);
    const streamTokens = r.stream.setup.evaluatedTokens + r.stream.perStep.reduce((a, s) => a + s.evaluatedTokens, 0);
    return `| ${r.arch} (${r.format}) | ${r.steps} | ${thousands(streamTokens)} | ${seconds(streamMs)} | ${thousands(r.chat.evaluatedTokens)} | ${seconds(r.chat.estimatedCpuMs)} (estimated) | **${r.timeRatio.toFixed(1)}x** | ${r.tokenRatio.toFixed(1)}x |`;
  });
  return [header, ...lines].join("\n");
}

const averageCpuMs = (steps: readonly { cpuMs: number }[]) => steps.reduce((a, s) => a + s.cpuMs, 0) / steps.length;

function streamVsChatNotes(rows: readonly StreamVsChatRow[]): string {
  return rows.map((r) => {
    const last = r.stream.perStep.at(-1)!;
    const lastChat = r.chat.measured.at(-1)!;
    return `- ${r.arch}: ${r.chat.measured.length} of ${r.steps} chat-style steps measured (one in ${r.sampleEvery}); the chat-style total is `
      + `${r.chat.fit.fixedMs.toFixed(1)} ms + ${(r.chat.fit.msPerToken * 1000).toFixed(1)} ms per 1,000 tokens (a least-squares fit of those steps) `
      + `summed over the exact prompt of each of the ${r.steps} steps. On the measured steps alone, chat-style / stream = ${r.measuredStepRatio.toFixed(1)}x. `
      + `Step ${last.step}: stream ${last.cpuMs.toFixed(0)} ms, chat-style ${lastChat.cpuMs.toFixed(0)} ms (${thousands(lastChat.evaluatedTokens)} tokens re-evaluated). `
      + `The same call came out of both arms in ${r.sameCalls}/${r.chat.measured.length} re-sent steps (greedy decoding, same state). `
      + `The stream's step cost ${averageCpuMs(r.stream.perStep.slice(0, 10)).toFixed(0)} ms over steps 1-10 and ${averageCpuMs(r.stream.perStep.slice(-10)).toFixed(0)} ms over the last 10 `
      + "(the engine appends node-llama-cpp's token list in place; copied for every generated token, it had made the last steps 2-4x dearer).";
  }).join("\n");
}

export interface ReportContext {
  readonly transformerLimit: number;
}

export function renderReport(results: BenchResults, context: ReportContext): string {
  const dates = [...new Set(Object.values(results.dates))].sort().join(", ");
  return [
    "# Benchmarks",
    "",
    `Generated by \`npm run bench\` (${dates}; last run ${results.seconds.toFixed(0)} s) on tiny generated models`,
    "(d_model 128, 2 layers, random weights, F32), CPU, one thread. CPU time of the process is reported",
    "(the machine is shared; wall time swung 3x between runs); benchmark 1 is the best of 7, wall time in parentheses.",
    "Absolute figures are tiny-model figures; the shapes (flat vs growing) are what carries over to real models.",
    "",
    "![Benchmark 1 and 4](chart.png)",
    "",
    "## 1. Appending to one session: ms per 1,000 tokens, by tokens already in it",
    "",
    appendTable(results.append),
    "",
    `The transformer baseline stops at ${context.transformerLimit / 1000}k: attention over 100k tokens on one thread exceeds the bench's time budget.`,
    "",
    "## 2. Tool calls: constrained vs free generation",
    "",
    results.toolCalls.length ? toolCallTable(results.toolCalls) : "Not measured in this run.",
    "",
    "## 3. Snapshots: size and save/restore time",
    "",
    snapshotTable(results.snapshots),
    "",
    "## 4. A 300-step session: append-only stream vs chat-style re-sending",
    "",
    "Each step generates one tool call under the grammar (at most 48 tokens, greedy) and appends an `open_range`-sized",
    "observation (450-580 characters). Chat-style: every step a fresh sequence fed the whole transcript so far, then the call.",
    "The time ratio is smaller than the token ratio because a step's own cost is mostly its 48 generated tokens, evaluated one",
    "at a time, while a re-sent history is evaluated in batches of 512.",
    "",
    results.streamVsChat.length ? streamVsChatTable(results.streamVsChat) : "Not measured in this run.",
    "",
    streamVsChatNotes(results.streamVsChat),
    "",
    ...newFigures(results),
    "## 8. from-git --check: commits converted and replayed per minute",
    "",
    "A generated history (each commit: three one-line edits of a TypeScript file and a new file: 8 calls) converted and",
    "replayed in ONE headless VS Code launch (code-server + Chromium), at two lengths. Wall time, shared machine. The",
    "first replay of a launch pays the tools' warm-up (grammars, language services); after it a replay's cost stays flat",
    "along the launch, so a longer launch converts more commits per minute: the launch (about 45 s) is paid once.",
    "",
    fromGitTable(results.fromGit ?? []),
    "",
    "## 9. llama-server: one session in-process vs over HTTP, and sessions at once on one server",
    "",
    "The same tiny model (bench-mamba2) and tool-call grammar, one CPU thread on both sides. A session's turn: the tool-call",
    "grammar sent with the request (`grammar`), the whole history as the prompt with `cache_prompt` on its own slot (`id_slot`),",
    "at most 128 tokens, then a short observation. The server runs with 8 slots (`-np 8`); N sessions at once, one per slot.",
    "Wall time, best of 3, on a shared 2-core machine: read the ratios, not the absolute figures.",
    "",
    serverTables(results.server),
    "",
  ].join("\n");
}

function serverTables(server: ServerBenchResult | undefined): string {
  if (!server || server.single.length < 2) return "Not measured in this run (`npm run bench -- --only 9`).";
  const [local, remote] = server.single as [ServerSingleRow, ServerSingleRow];
  const base = server.parallel[0]?.tokensPerSecond;
  return [
    "| one session | turns | tokens | tokens/s |",
    "|---|---:|---:|---:|",
    ...server.single.map((r) => `| ${r.engine} | ${r.turns} | ${r.tokens} | ${r.tokensPerSecond.toFixed(0)} |`),
    "",
    `In-process / server: **${(local.tokensPerSecond / remote.tokensPerSecond).toFixed(2)}x**.`,
    "",
    "| sessions at once | tokens | seconds | aggregate tokens/s | vs 1 session |",
    "|---:|---:|---:|---:|---:|",
    ...server.parallel.map((r) => `| ${r.sessions} | ${r.tokens} | ${r.seconds.toFixed(1)} | ${r.tokensPerSecond.toFixed(0)} | ${base ? (r.tokensPerSecond / base).toFixed(2) : "—"}x |`),
  ].join("\n");
}

/** Benchmarks 5-7 (`npm run bench -- --only 5,6,7`): activation, harness overhead, a 1M-token session. */
function newFigures(results: BenchResults): string[] {
  const a = results.activation;
  const h = results.harness;
  const long = results.longAppend;
  const fmt = (n: number) => n.toFixed(1);
  return [
    "## 5. Extension activation (goal: at most 20 ms)",
    "",
    "A fresh code-server (offline) per launch runs the foundation group's activation test; the extension measures its own",
    "`activate()` with `performance.now()`, and the test asserts that no native or parser module (node-llama-cpp,",
    "web-tree-sitter, `.node` addons) is loaded in the extension host afterwards.",
    "",
    a ? `| launches | ms per launch | median | native modules loaded |\n|---:|---|---:|---:|\n| ${a.launches} | ${a.ms.map(fmt).join(", ")} | ${fmt(a.median)} | ${a.nativeModules} |` : "Not measured yet.",
    "",
    "## 6. Harness overhead per step, without a model (goal: p50 at most 10 ms)",
    "",
    "A scripted policy answers at once; the time between two turns is then the harness's own: the tool (a file written",
    "into the session worktree), the step's commit on the session branch and its line on the trace ref (real git), a",
    "64 KiB snapshot file, the observation. Wall time: git runs as child processes. VS Code's edit path is not included.",
    "",
    h
      ? `| steps | p50 | p90 | p99 | max | mean | of which tool | commit + trace | snapshot |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n| ${h.steps} | ${fmt(h.p50)} | ${fmt(h.p90)} | ${fmt(h.p99)} | ${fmt(h.max)} | ${fmt(h.mean)} | ${h.parts.tool.toFixed(2)} | ${fmt(h.parts.record)} | ${h.parts.snapshot.toFixed(2)} |`
      : "Not measured yet.",
    "",
    ...(h ? [
      `Profile: ${h.gitCallsPerStep.toFixed(1)} git processes per step; one \`git --version\` cost ${fmt(h.gitSpawnMs)} ms on this machine during the run`,
      `(the floor of any git call). Mean ms per step by git command: ${Object.entries(h.gitMsByCommand).sort((x, y) => y[1] - x[1]).map(([c, ms]) => `${c} ${fmt(ms)}`).join(", ")}.`,
      "",
    ] : []),
    "## 7. A recurrent session at 1,000,000 tokens (goal: append cost at most 1.05 x that at 1k)",
    "",
    "One session of the tiny model taken to 1M tokens; 1,000 more appended at each point (best of 7, CPU ms, wall ms in",
    "parentheses), and the process's RSS right after.",
    "",
    long.length
      ? ["| model | tokens in the session | ms per 1,000 appended | RSS |", "|---|---:|---:|---:|",
          ...long.map((r) => `| ${r.arch} | ${r.at.toLocaleString("en-US")} | ${fmt(r.msPer1000)} (${fmt(r.wallMsPer1000)}) | ${r.rssMiB.toFixed(0)} MiB |`),
          "",
          ...[...new Set(long.map((r) => r.arch))].map((arch) => {
            const rows = long.filter((r) => r.arch === arch);
            const first = rows[0]!;
            const last = rows.at(-1)!;
            return `- ${arch}: at ${last.at.toLocaleString("en-US")} / at ${first.at.toLocaleString("en-US")} = ${(last.msPer1000 / first.msPer1000).toFixed(2)}; RSS ${first.rssMiB.toFixed(0)} -> ${last.rssMiB.toFixed(0)} MiB`;
          })].join("\n")
      : "Not measured yet.",
    "",
  ];
}

function fromGitTable(rows: readonly FromGitRow[]): string {
  if (rows.length === 0) return "Not measured in this run.";
  const lines = ["| commits in the launch | calls | exact trees | total s | commits / min | replay ms, first / last quarter | launch overhead s |", "|---:|---:|---:|---:|---:|---:|---:|"];
  for (const r of rows) {
    lines.push(`| ${r.commits} | ${r.calls} | ${r.exact}/${r.commits} | ${(r.totalMs / 1000).toFixed(0)} | ${r.commitsPerMinute.toFixed(1)} | ${r.firstQuarterMs.toFixed(0)} / ${r.lastQuarterMs.toFixed(0)} | ${(r.launchOverheadMs / 1000).toFixed(1)} |`);
  }
  return lines.join("\n");
}
