// The headless `run` command with a model whose window is too small for the prompt: it ends with
// the one-line message (window, prompt size, what to change), exit 1, and no session branch.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeTinyModel } from "../../models/generate";

const root = process.cwd();
const cli = join(root, "dist/cli.mjs");
const codeServer = join(root, ".cache/code-server/node_modules/code-server/out/node/entry.js");
const identity = { GIT_AUTHOR_NAME: "User", GIT_AUTHOR_EMAIL: "user@example.invalid", GIT_COMMITTER_NAME: "User", GIT_COMMITTER_EMAIL: "user@example.invalid" };

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...identity } });
}

describe("run with a model whose window is too small", { skip: !existsSync(codeServer) && process.env.CI !== "true" ? "code-server not installed (npm run setup)" : false }, () => {
  let scratch: string;
  let workspace: string;
  let model: string;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "itu-run-window-"));
    workspace = join(scratch, "calc");
    cpSync(join(root, "test/fixtures/agent"), workspace, { recursive: true });
    git(workspace, ["init", "-q", "-b", "main"]);
    git(workspace, ["add", "-A"]);
    git(workspace, ["commit", "-qm", "Calculator project"]);
    model = join(scratch, "llama-2k.gguf");
    await writeTinyModel({ arch: "llama", seed: 3, path: model, dModel: 64, layers: 2, contextLength: 2048 });
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("says so in one line and exits 1", () => {
    const run = spawnSync(process.execPath, [cli, "run", workspace, "--task", "Add subtract() next to add()", "--model", model, "--json"], { encoding: "utf8", timeout: 300_000 });
    assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { ok: boolean; reason: string; message: string };
    assert.equal(result.ok, false);
    assert.match(result.message, /The model's window \(2,046 tokens\) is too small: the rules, tools and task take [\d,]+ tokens and a turn needs 512 more; choose a model trained on a window of at least [\d,]+ tokens \(this one has 2,048\)\./);
    assert.ok(!result.message.includes("\n"), result.message);
    assert.equal(git(workspace, ["status", "--porcelain"]), "", "the user's files are untouched");
  });
});
