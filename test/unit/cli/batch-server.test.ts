// `batch --engine` against one real llama-server (built from node-llama-cpp's own llama.cpp by the
// set-up): 8 issues, 4 sessions at a time, each in its own headless VS Code on its own server slot.
// A tiny random model cannot solve an issue, so each session ends on its step budget (3 calls, set in
// the repository's workspace settings) or when its slot's window is full: what is proven is the
// machinery — 8 sessions on 8 branches, run concurrently on one server, none crashed — not competence.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeTinyModel } from "../../models/generate";
import { startLlamaServer, type RunningLlamaServer } from "../../harness/llamaServerProcess";
import { cli, git, root, serverRunMissing, type BatchRow } from "./headlessCli";

const missing = serverRunMissing();

describe("batch: 8 issues, 4 at a time, on one llama-server", { skip: missing ?? false }, () => {
  let scratch: string;
  let repo: string;
  let issues: string;
  let server: RunningLlamaServer;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "itu-batch-server-"));
    repo = join(scratch, "repo");
    cpSync(join(root, "test/fixtures/agent"), repo, { recursive: true });
    mkdirSync(join(repo, ".vscode"), { recursive: true });
    writeFileSync(join(repo, ".vscode/settings.json"), JSON.stringify({ "infiniteToolUse.budget.maxSteps": 3 }, null, 2) + "\n");
    git(repo, ["init", "-q", "-b", "main"]);
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-qm", "Calculator project"]);
    issues = join(scratch, "issues");
    mkdirSync(issues);
    for (let n = 1; n <= 8; n++) writeFileSync(join(issues, `${n}.md`), `---\nnumber: ${n}\n---\n# Add subtract, take ${n}\n\nAdd subtract() next to add() and test it.\n`);
    const model = join(scratch, "mamba2.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 11, path: model });
    server = await startLlamaServer(root, { model, slots: 4, slotContext: 16384 });
  });

  after(async () => {
    await server?.kill();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("runs all 8 sessions on the server, each on its own branch, none crashed", () => {
    const head = git(repo, ["rev-parse", "HEAD"]).trim();
    const run = spawnSync(process.execPath, [cli, "batch", repo, "--issues", issues, "--engine", server.url, "--parallel", "4", "--json"], { encoding: "utf8", timeout: 1_500_000 });
    const summary = JSON.parse(run.stdout.trim() || "{}") as { sessions?: BatchRow[] };
    assert.ok(summary.sessions, `no summary (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    assert.deepEqual(summary.sessions.map((r) => r.issue), [1, 2, 3, 4, 5, 6, 7, 8]);
    const branches = new Set<string>();
    for (const row of summary.sessions) {
      assert.notEqual(row.reason, "crashed", JSON.stringify(row));
      assert.match(row.branch ?? "", new RegExp(`^infinite/\\d{4}-\\d\\d-\\d\\d-issue-${row.issue}-`), JSON.stringify(row));
      assert.ok(row.steps >= 1 && row.steps <= 3, `within the 3-call budget: ${JSON.stringify(row)}`);
      assert.ok(row.tokens > 0, `the server generated the calls: ${JSON.stringify(row)}`);
      // Each session's trace is on its own ref, as many steps as the table says.
      const trace = git(repo, ["for-each-ref", "--format=%(refname)", "refs/infinite/traces/"]).split("\n").filter(Boolean);
      assert.equal(trace.length, 8);
      branches.add(row.branch!);
    }
    assert.equal(branches.size, 8, "8 branches");
    console.log(`    ${summary.sessions.map((r) => `#${r.issue} ${r.steps} steps, ${r.reason}`).join("; ")}`);
    for (let n = 1; n <= 8; n++) assert.match(run.stderr, new RegExp(`^#${n} ended: `, "m"), "a progress line per session");
    assert.equal(git(repo, ["rev-parse", "HEAD"]).trim(), head);
    assert.equal(git(repo, ["status", "--porcelain"]), "", "the user's files are untouched");
  });
});
