// What the tests of the headless CLI (`run`, `batch`) share: the built CLI, a git with a fixed
// identity, and why they cannot run here (code-server, and llama-server for the server engine's).
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { llamaServerMissing } from "../../harness/llamaServerProcess";

export const root = process.cwd();
export const cli = join(root, "dist/cli.mjs");
const codeServer = join(root, ".cache/code-server/node_modules/code-server/out/node/entry.js");
const identity = { GIT_AUTHOR_NAME: "User", GIT_AUTHOR_EMAIL: "user@example.invalid", GIT_COMMITTER_NAME: "User", GIT_COMMITTER_EMAIL: "user@example.invalid" };

/**
 * Runs the CLI pointed at a GitHub API stand-in (GITHUB_API_URL, no token), without blocking this
 * process: the stand-in the test started answers from it.
 */
export function runCliOnGitHub(args: readonly string[], apiUrl: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, GITHUB_API_URL: apiUrl, GITHUB_TOKEN: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...identity, ...env } });
}

/** Why a headless VS Code cannot run here (outside CI only: under CI=true nothing is skipped). */
export function codeServerMissing(): string | undefined {
  return !existsSync(codeServer) && process.env.CI !== "true" ? "code-server not installed (npm run setup)" : undefined;
}

/** Why a headless run on a llama-server cannot run here; under CI=true a missing llama-server throws. */
export function serverRunMissing(): string | undefined {
  return codeServerMissing() ?? llamaServerMissing(root);
}

/** One row of `batch --json`'s sessions. */
export interface BatchRow {
  issue: number;
  branch?: string;
  steps: number;
  tokens: number;
  reason: string;
  outcome: string;
  action: string;
  message?: string;
  sessionId?: string;
  resumed?: { afterStep: number; snapshotStep?: number; reappendedSteps: number; restored: boolean };
}

/** SIGKILLs the whole editor of a `run` child: its code-server, in a process group of its own. */
export function killEditorOf(runPid: string): void {
  for (const p of execFileSync("pgrep", ["-P", runPid], { encoding: "utf8" }).trim().split("\n").filter(Boolean)) {
    try {
      process.kill(-Number(p), "SIGKILL");
    } catch {
      process.kill(Number(p), "SIGKILL");
    }
  }
}
