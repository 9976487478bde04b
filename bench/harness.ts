// Benchmark 6: the harness's own cost per step, without a model. A scripted policy answers at once;
// each step is then what the harness adds around a model turn: the tool runs (a file written into
// the session's worktree), the step is committed on the session branch and appended to the trace
// ref, a state snapshot is saved (a fixed 64 KiB file, the size of a tiny mamba2's state) and the
// observation handed back. Real git, real files, the real loop and session store; no VS Code (its
// editor API is not in the path measured here).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runAgentLoop } from "../extension/core/agent/loop";
import type { Policy, PolicyTurn } from "../extension/core/agent/types";
import { SessionStore } from "../extension/core/sessions";
import { toolDefinitions } from "../extension/core/tools/definitions";
import { createToolExecutor, type ToolImplementation } from "../extension/core/tools/registry";
import { sessionTools } from "../extension/core/tools/sessionTools";
import type { ToolCall } from "../extension/core/tools/types";

export interface HarnessRow {
  steps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Mean ms per step spent in each part (tool, record = commit + trace, snapshot). */
  parts: { tool: number; record: number; snapshot: number };
  /** The profile: git processes started per step, and mean ms per step by git command. */
  gitCallsPerStep: number;
  gitMsByCommand: Record<string, number>;
  /** What one `git --version` costs on this machine at the time (ms, median of 20): the floor of a git call. */
  gitSpawnMs: number;
}

const SNAPSHOT_BYTES = 64 * 1024;
const env = { ...process.env, GIT_AUTHOR_NAME: "Bench", GIT_AUTHOR_EMAIL: "bench@example.invalid", GIT_COMMITTER_NAME: "Bench", GIT_COMMITTER_EMAIL: "bench@example.invalid", GIT_CONFIG_NOSYSTEM: "1" };

/** Answers with the scripted calls at once, marks when each turn was asked for, and saves a fixed-size state. */
class ScriptedPolicy implements Policy {
  readonly name = "scripted";
  readonly asked: number[] = [];
  snapshotMs = 0;
  private index = 0;
  constructor(private readonly calls: readonly ToolCall[]) {}
  start() { return Promise.resolve({ tokens: 0 }); }
  next(): Promise<PolicyTurn> {
    this.asked.push(performance.now());
    const call = this.calls[this.index++]!;
    return Promise.resolve({ kind: "call", call, raw: "", tokens: 1, ms: 0 });
  }
  observe() { return Promise.resolve({ tokens: 0 }); }
  async saveState(path: string): Promise<void> {
    const started = performance.now();
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.alloc(SNAPSHOT_BYTES, 7));
    this.snapshotMs += performance.now() - started;
  }
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function benchHarness(steps: number, log: (line: string) => void): Promise<HarnessRow> {
  const root = mkdtempSync(join(tmpdir(), "itu-bench-harness-"));
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, env, stdio: "ignore" });
    git("init", "-q", "-b", "main");
    writeFileSync(join(root, "README.md"), "bench\n");
    git("add", "-A");
    git("commit", "-qm", "initial");
    Object.assign(process.env, { GIT_AUTHOR_NAME: env.GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL: env.GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME, GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL });
    const gitCalls: { command: string; ms: number }[] = [];
    let counting = false;
    const store = await SessionStore.open(root, {
      log: (line) => {
        const match = /^git (\S+).*\((\d+) ms, cwd/.exec(line);
        if (counting && match) gitCalls.push({ command: match[1]!, ms: Number(match[2]) });
      },
    });
    const session = await store.start({ task: "Harness benchmark" });
    let toolMs = 0;
    // create_file as a plain file write in the worktree (VS Code's own edit path is not measured).
    const writeTool: ToolImplementation = {
      definition: toolDefinitions.find((d) => d.name === "create_file")!,
      async run(call) {
        const started = performance.now();
        const path = join(session.worktreePath, String(call.args.path));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, call.body ?? "");
        toolMs += performance.now() - started;
        return { ok: true, text: `created ${String(call.args.path)}`, summary: "created" };
      },
    };
    const calls: ToolCall[] = Array.from({ length: steps }, (_, i) => ({ tool: "create_file", args: { path: `src/file${i % 20}.ts` }, body: `export const value${i} = ${i};\n` }));
    calls.push({ tool: "finish", args: {}, body: "done" });
    const policy = new ScriptedPolicy(calls);
    let recordMs = 0;
    counting = true;
    const end = await runAgentLoop({
      task: "Harness benchmark",
      tools: toolDefinitions,
      policy,
      executor: createToolExecutor({ implementations: [writeTool, ...sessionTools()], session: { goal: "Harness benchmark", notes: "" }, isTrusted: () => true }),
      recorder: {
        async recordStep(step) {
          const started = performance.now();
          const recorded = await session.recordStep({ call: step.call!, observation: step.observation, effect: step.call!.tool === "create_file" ? "writes" : "reads" });
          recordMs += performance.now() - started;
          return recorded.commit ? { commit: recorded.commit } : {};
        },
        snapshotPath: (step) => session.snapshotPath(step),
      },
      budgets: { maxSteps: steps + 10, maxTokens: 10 * steps, maxMs: 600_000, repeatLimit: steps + 10 },
    });
    if (end.reason !== "finished") throw new Error(`the harness benchmark's session ended: ${end.reason} — ${end.message}`);
    counting = false;
    const gitMsByCommand: Record<string, number> = {};
    for (const call of gitCalls) gitMsByCommand[call.command] = (gitMsByCommand[call.command] ?? 0) + call.ms / steps;
    const spawns = Array.from({ length: 20 }, () => {
      const started = performance.now();
      execFileSync("git", ["--version"], { stdio: "ignore" });
      return performance.now() - started;
    }).sort((a, b) => a - b);
    const perStep = policy.asked.slice(1).map((t, i) => t - policy.asked[i]!);
    const sorted = [...perStep].sort((a, b) => a - b);
    const n = perStep.length;
    const row: HarnessRow = {
      steps: n,
      p50: quantile(sorted, 0.5),
      p90: quantile(sorted, 0.9),
      p99: quantile(sorted, 0.99),
      max: sorted.at(-1)!,
      mean: perStep.reduce((a, b) => a + b, 0) / n,
      parts: { tool: toolMs / n, record: recordMs / n, snapshot: policy.snapshotMs / n },
      gitCallsPerStep: gitCalls.length / steps,
      gitMsByCommand,
      gitSpawnMs: spawns[10]!,
    };
    log(`  ${n} steps: p50 ${row.p50.toFixed(1)} ms, p90 ${row.p90.toFixed(1)}, p99 ${row.p99.toFixed(1)}, max ${row.max.toFixed(1)}; mean ${row.mean.toFixed(1)} = tool ${row.parts.tool.toFixed(2)} + commit and trace ${row.parts.record.toFixed(1)} + snapshot ${row.parts.snapshot.toFixed(2)} + loop`);
    log(`  profile: ${row.gitCallsPerStep.toFixed(1)} git processes per step (one \`git --version\` costs ${row.gitSpawnMs.toFixed(1)} ms here now); ms per step by command: ${Object.entries(gitMsByCommand).sort((a, b) => b[1] - a[1]).map(([c, ms]) => `${c} ${ms.toFixed(1)}`).join(", ")}`);
    return row;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
