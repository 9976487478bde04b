// `from-git --check`: every converted commit replayed in ONE headless VS Code. The replays run in a
// scratch clone (`git clone --shared`: objects are read from the user's repository, nothing is
// written there), each session in its own worktree, discarded after its comparison; the scratch
// clone goes when the check ends.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { replayCheckRequestEnv, type ReplayCheckItem, type ReplayCheckRequest, type ReplayCheckResult } from "../../core/fromGit/checkProtocol";
import type { Manifest } from "../../core/fromGit/convertRange";
import { runInCodeServer } from "../vscode/codeServer";
import { createIsolatedEnv } from "../vscode/isolatedEnv";

/** Settings that keep VS Code from changing the bytes a replay writes, and budgets no commit reaches. */
export const replayCheckSettings: Record<string, unknown> = {
  "files.insertFinalNewline": false,
  "files.trimTrailingWhitespace": false,
  "files.trimFinalNewlines": false,
  "editor.formatOnSave": false,
  "files.autoSave": "off",
  "infiniteToolUse.budget.maxSteps": 1_000_000,
  "infiniteToolUse.budget.maxTokens": 1_000_000_000,
  "infiniteToolUse.budget.maxMinutes": 24 * 60,
  "infiniteToolUse.budget.repeatLimit": 1_000_000,
};

export interface CheckLaunch {
  readonly root: string;
  readonly repo: string;
  readonly outDir: string;
  readonly manifest: Manifest;
  readonly task?: string;
  readonly timeoutMs: number;
  readonly onOutput: (line: string) => void;
}

const git = (cwd: string, args: string[]) => execFileSync("git", ["-C", cwd, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

export async function launchReplayCheck(launch: CheckLaunch): Promise<ReplayCheckResult & { launchMs: number }> {
  const codeServerEntry = process.env.ITU_CODE_SERVER ?? join(launch.root, ".cache/code-server/node_modules/code-server/out/node/entry.js");
  if (!existsSync(codeServerEntry)) throw new Error(`code-server is not installed at ${codeServerEntry}: run \`npm run setup\` in ${launch.root}`);
  const isolated = createIsolatedEnv("from-git-check", replayCheckSettings);
  const scratch = mkdtempSync(join(tmpdir(), "itu-from-git-"));
  try {
    const clone = join(scratch, "repo");
    execFileSync("git", ["clone", "--quiet", "--shared", "--no-checkout", launch.repo, clone], { stdio: ["ignore", "pipe", "pipe"] });
    // A root commit replays from an empty commit, made in the scratch clone only.
    let empty: string | undefined;
    const emptyBase = () => {
      empty ??= execFileSync("git", ["-C", clone, "-c", "user.name=from-git", "-c", "user.email=from-git@example.invalid", "commit-tree", git(clone, ["hash-object", "-t", "tree", "-w", "--stdin"]), "-m", "empty"], { encoding: "utf8", input: "" }).trim();
      return empty;
    };
    const items: ReplayCheckItem[] = launch.manifest.commits.map((c) => ({
      sha: c.sha,
      base: c.parent ?? emptyBase(),
      callsFile: join(launch.outDir, c.file),
      task: launch.task ?? c.subject ?? c.sha,
      skippedPaths: c.skipped.filter((s) => !s.modeOnly).map((s) => s.path),
      modeOnlyPaths: c.skipped.filter((s) => s.modeOnly).map((s) => s.path),
    }));
    const resultFile = join(isolated.root, "check.json");
    const request: ReplayCheckRequest = { items, resultFile };
    const started = Date.now();
    const outcome = await runInCodeServer({
      codeServerEntry,
      chromiumPath: process.env.ITU_CHROMIUM ?? "/usr/bin/chromium",
      isolated,
      workspace: clone,
      extensionPath: launch.root,
      testsEntry: join(launch.root, "dist/headless.js"),
      env: { [replayCheckRequestEnv]: JSON.stringify(request) },
      timeoutMs: launch.timeoutMs,
      onOutput: launch.onOutput,
    });
    const launchMs = Date.now() - started;
    if (!existsSync(resultFile)) throw new Error(`the replays did not report a result${outcome.problem ? `: ${outcome.problem}` : ""}`);
    const result = JSON.parse(readFileSync(resultFile, "utf8")) as ReplayCheckResult;
    if (result.error) throw new Error(`the replays failed: ${result.error}`);
    return { ...result, launchMs };
  } finally {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    rmSync(isolated.root, { recursive: true, force: true, maxRetries: 3 });
  }
}
