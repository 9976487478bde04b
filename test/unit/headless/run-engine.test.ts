// The headless `run --engine <url>` on a real llama-server (the batch runner's way in): the session
// runs on the server's model in a headless VS Code, records its steps on a session branch and ends
// when the server's small per-slot window is full, with one line; an unreachable URL is one line
// and exit 1, the user's files untouched either way.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeTinyModel } from "../../models/generate";
import { closedPort, startLlamaServer, type RunningLlamaServer } from "../../harness/llamaServerProcess";
import { cli, git, root, serverRunMissing } from "../cli/headlessCli";

const missing = serverRunMissing();

function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 400_000);
    child.on("exit", (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

describe("run --engine on a llama-server", { skip: missing ?? false }, () => {
  let scratch: string;
  let workspace: string;
  let server: RunningLlamaServer;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "itu-run-engine-"));
    workspace = join(scratch, "calc");
    cpSync(join(root, "test/fixtures/agent"), workspace, { recursive: true });
    git(workspace, ["init", "-q", "-b", "main"]);
    git(workspace, ["add", "-A"]);
    git(workspace, ["commit", "-qm", "Calculator project"]);
    const model = join(scratch, "mamba2.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 11, path: model });
    server = await startLlamaServer(root, { model, slots: 2, slotContext: 4096 });
  });

  after(async () => {
    await server?.kill();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("runs the session on the server's model and records it on a branch", async () => {
    const head = git(workspace, ["rev-parse", "HEAD"]).trim();
    const run = await runCli(["run", workspace, "--task", "Add subtract() next to add()", "--engine", server.url, "--json"]);
    const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { ok: boolean; reason: string; message: string; branch?: string; steps: number };
    assert.ok(result.branch, `no session branch: ${run.stdout}\n${run.stderr}`);
    assert.ok(result.steps >= 1, `no step ran: ${result.reason}: ${result.message}`);
    console.log(`${result.steps} steps, ended ${result.reason}: ${result.message}`);
    assert.ok(git(workspace, ["branch", "--list", result.branch]).includes(result.branch));
    // The tiny model writes long turns: the 4096-token slot fills within a few steps, said in one sentence.
    if (result.reason === "error") assert.match(result.message, /The session \(\d+ tokens\) no longer fits the server's slot \(4096 tokens\): start llama-server with a larger -c/);
    assert.equal(git(workspace, ["rev-parse", "HEAD"]).trim(), head);
    assert.equal(git(workspace, ["status", "--porcelain"]), "", "the user's files are untouched");
  });

  it("says in one line that an unreachable server is not reachable, and exits 1", async () => {
    const closed = await closedPort();
    const run = await runCli(["run", workspace, "--task", "x", "--engine", `http://127.0.0.1:${closed}`, "--json"]);
    assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { ok: boolean; message: string };
    assert.match(result.message, /^The llama-server at http:\/\/127\.0\.0\.1:\d+ is not reachable \(ECONNREFUSED\); start it, or change infiniteToolUse\.engine\.url\.$/);
  });
});

// The same check and sentence as batch's (extension/cli/engineUrl.ts); it needs no server.
describe("run --engine that is not a URL", () => {
  it("is refused with exit 2 and one sentence, before anything starts", async () => {
    const folder = mkdtempSync(join(tmpdir(), "itu-run-engine-url-"));
    try {
      const run = await runCli(["run", folder, "--task", "x", "--engine", "localhost:8080"]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^run: --engine needs a llama-server URL such as http:\/\/127\.0\.0\.1:8080, got "localhost:8080"$/m);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
