// The headless `run` command from a plain shell: it starts VS Code (code-server + Chromium), replays
// a trace on a fixture workspace, exits 0, and leaves a branch whose tree is exactly the expected one.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

const root = process.cwd();
const cli = join(root, "dist/cli.mjs");
const codeServer = join(root, ".cache/code-server/node_modules/code-server/out/node/entry.js");
const identity = { GIT_AUTHOR_NAME: "User", GIT_AUTHOR_EMAIL: "user@example.invalid", GIT_COMMITTER_NAME: "User", GIT_COMMITTER_EMAIL: "user@example.invalid" };

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...identity, ...env } });
}

/** The tree id git would give the folder's files, computed without touching any real index. */
function treeOf(repo: string, folder: string, scratch: string): string {
  const env = { GIT_INDEX_FILE: join(scratch, "expected.index"), GIT_WORK_TREE: folder };
  git(repo, ["add", "-A", "."], env);
  return git(repo, ["write-tree"], env).trim();
}

describe("run --replay from a shell", { skip: !existsSync(codeServer) && process.env.CI !== "true" ? "code-server not installed (npm run setup)" : false }, () => {
  let scratch: string;
  let workspace: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "itu-run-"));
    workspace = join(scratch, "calc");
    cpSync(join(root, "test/fixtures/agent"), workspace, { recursive: true });
    git(workspace, ["init", "-q", "-b", "main"]);
    git(workspace, ["add", "-A"]);
    git(workspace, ["commit", "-qm", "Calculator project"]);
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("exits 0 and leaves the expected tree on the session's branch", () => {
    const run = spawnSync(process.execPath, [cli, "run", workspace, "--task", "Add subtract() next to add() and test it", "--replay", join(root, "test/fixtures/traces/add-subtract.jsonl"), "--json"], { encoding: "utf8", timeout: 240_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { ok: boolean; reason: string; branch: string; steps: number };
    assert.equal(result.ok, true);
    assert.equal(result.reason, "finished");
    assert.equal(result.steps, 10);
    assert.match(result.branch, /^infinite\/\d{4}-\d\d-\d\d-add-subtract/);
    const actual = git(workspace, ["rev-parse", `${result.branch}^{tree}`]).trim();
    assert.equal(actual, treeOf(workspace, join(root, "test/fixtures/agent-expected"), scratch));
    assert.equal(git(workspace, ["status", "--porcelain"]), "", "the user's files are untouched");
  });

  it("refuses bad arguments with exit 2 and a clear message", () => {
    const run = spawnSync(process.execPath, [cli, "run", join(scratch, "missing"), "--task", "x", "--replay", "y"], { encoding: "utf8" });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /is not a folder/);
  });
});
