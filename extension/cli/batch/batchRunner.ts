// Runs a batch: every issue's session is its own `run` child process (its own headless VS Code), at
// most `parallel` at a time. A child process per session is the robust choice: a session that
// crashes, hangs or is killed takes only its own VS Code down, and the others go on. (One VS Code
// cannot host N sessions today: the workbench runs one session at a time.) The cost is one
// code-server + Chromium per running session, so keep N small on a small machine.
import { spawn } from "node:child_process";
import type { HeadlessResult, HeadlessResume } from "../../core/headless";
import { SessionStore, type SessionInfo } from "../../core/sessions";
import type { BatchOptions } from "./batchArgs";
import type { BatchIssue } from "./batchIssues";

export type BatchOutcome = "finished" | "skipped" | "ended" | "crashed";

export interface BatchRow {
  readonly issue: number;
  readonly title: string;
  readonly branch?: string;
  readonly sessionId?: string;
  readonly steps: number;
  readonly tokens: number;
  /** The session's end reason (finished, budget, error, ...), "crashed" when the child died without a result, "already finished" when skipped. */
  readonly reason: string;
  readonly outcome: BatchOutcome;
  /** Whether this run started the session, resumed it, or skipped it as already finished. */
  readonly action: "started" | "resumed" | "skipped";
  readonly message: string;
  /** For a resumed session that reported its end: the step it picked up after and the snapshot it restored. */
  readonly resumed?: HeadlessResume;
}

export interface BatchRunnerOptions {
  readonly cli: string;
  readonly progress: (line: string) => void;
  /** How often the store is read for step counts. */
  readonly pollMs?: number;
}

/** The issue's newest session, if any: the trace's header records the issue number. */
function sessionOf(sessions: readonly SessionInfo[], issue: number): SessionInfo | undefined {
  return sessions.find((s) => s.issue === issue);
}

function engineArgs(options: BatchOptions): string[] {
  return [`--${options.engine.kind}`, options.engine.value];
}

interface ChildEnd {
  readonly result?: HeadlessResult;
  readonly problem: string;
}

function runChild(cli: string, args: readonly string[], started: (pid: number | undefined) => void): Promise<ChildEnd> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    started(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => resolve({ problem: `could not start: ${e.message}` }));
    child.on("close", (code, signal) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        const result = JSON.parse(last) as HeadlessResult;
        if (typeof result.reason === "string") return resolve({ result, problem: "" });
      } catch {
        // no result line: the child died or refused; say how
      }
      const said = stderr.trim().split("\n").filter(Boolean).pop();
      resolve({ problem: signal ? `killed by ${signal}` : `exit ${code}${said ? `: ${said}` : ""}` });
    });
  });
}

type Watch = (listener: (sessions: readonly SessionInfo[]) => void) => () => void;

/** One reader of the session store for all running sessions' step counts: a list costs a few git
 * processes per session, so N workers each polling would multiply them on a small machine. */
function storeWatcher(store: SessionStore, everyMs: number): { watch: Watch; dispose(): void } {
  const listeners = new Set<(sessions: readonly SessionInfo[]) => void>();
  let busy = false;
  const timer = setInterval(() => {
    if (busy || listeners.size === 0) return;
    busy = true;
    store
      .list()
      .then((sessions) => listeners.forEach((l) => l(sessions)))
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return {
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: () => clearInterval(timer),
  };
}

async function runOne(issue: BatchIssue, options: BatchOptions, store: SessionStore, runner: BatchRunnerOptions, watch: Watch): Promise<BatchRow> {
  const tag = `#${issue.number}`;
  const before = sessionOf(await store.list(), issue.number);
  if (before && before.status !== "active") {
    runner.progress(`${tag} skipped: its session ${before.branch} already ${before.status}`);
    return { issue: issue.number, title: issue.title, branch: before.branch, sessionId: before.id, steps: before.steps, tokens: 0, reason: "already finished", outcome: "skipped", action: "skipped", message: before.summary ?? "" };
  }
  const action = before ? "resumed" : "started";
  const args = ["run", options.repo, ...(before ? ["--resume", before.id] : ["--task", issue.file]), ...engineArgs(options), "--json", "--timeout", String(options.timeoutSeconds)];
  let lastSteps = before?.steps ?? -1;
  const stopWatching = watch((sessions) => {
    const current = before ? sessions.find((s) => s.id === before.id) : sessionOf(sessions, issue.number);
    if (current && current.steps !== lastSteps) {
      lastSteps = current.steps;
      runner.progress(`${tag} step ${current.steps} (${current.branch})`);
    }
  });
  const end = await runChild(runner.cli, args, (pid) => runner.progress(`${tag} ${action}${before ? ` ${before.branch} after step ${before.steps}` : ""} (pid ${pid ?? "?"})`)).finally(stopWatching);
  const after = before ? (await store.list()).find((s) => s.id === before.id) : sessionOf(await store.list(), issue.number);
  if (end.result) {
    const r = end.result;
    runner.progress(`${tag} ended: ${r.reason} after ${r.steps} ${r.steps === 1 ? "step" : "steps"}`);
    return { issue: issue.number, title: issue.title, ...(r.branch ? { branch: r.branch } : {}), ...(r.sessionId ? { sessionId: r.sessionId } : {}), steps: r.steps, tokens: r.tokens ?? 0, reason: r.reason, outcome: r.ok ? "finished" : "ended", action, message: r.message, ...(r.resumed ? { resumed: r.resumed } : {}) };
  }
  runner.progress(`${tag} ended: crashed (${end.problem})`);
  return { issue: issue.number, title: issue.title, ...(after ? { branch: after.branch, sessionId: after.id } : {}), steps: after?.steps ?? 0, tokens: 0, reason: "crashed", outcome: "crashed", action, message: end.problem };
}

/** Runs every issue, `parallel` at a time; the rows come back in the issues' order. */
export async function runBatch(issues: readonly BatchIssue[], options: BatchOptions, runner: BatchRunnerOptions): Promise<BatchRow[]> {
  const store = await SessionStore.open(options.repo);
  const watcher = storeWatcher(store, runner.pollMs ?? 2000);
  const rows: BatchRow[] = new Array<BatchRow>(issues.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < issues.length) {
      const index = next++;
      const issue = issues[index]!;
      rows[index] = await runOne(issue, options, store, runner, watcher.watch).catch((error: unknown) => ({
        issue: issue.number,
        title: issue.title,
        steps: 0,
        tokens: 0,
        reason: "crashed",
        outcome: "crashed" as const,
        action: "started" as const,
        message: error instanceof Error ? error.message : String(error),
      }));
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(options.parallel, issues.length) }, worker));
  } finally {
    watcher.dispose();
  }
  return rows;
}
