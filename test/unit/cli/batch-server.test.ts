// `batch --engine` against one real llama-server (built from node-llama-cpp's own llama.cpp by the
// set-up): 8 issues, 4 sessions at a time, each in its own headless VS Code on its own server slot.
// A tiny random model cannot solve an issue, so each session ends on its step budget (3 calls, set in
// the repository's workspace settings) or when its slot's window is full: what is proven is the
// machinery — 8 sessions on 8 branches, run concurrently on one server, none crashed — not competence.
// Issue 1's editor is SIGKILLed after its first step; the rerun resumes it (and, as none of them
// finished, the 7 others) from its newest slot snapshot on the same branch and trace.
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeTinyModel } from "../../models/generate";
import { startLlamaServer, type RunningLlamaServer } from "../../harness/llamaServerProcess";
import { SessionStore } from "../../../extension/core/sessions";
import { cli, git, killEditorOf, root, serverRunMissing, type BatchRow } from "./headlessCli";

const missing = serverRunMissing();

/** Whether issue 1's session has saved its first step's slot snapshot (it then has a step to resume from). */
function issueOneSnapshotted(snapshots: string): boolean {
  if (!existsSync(snapshots)) return false;
  return readdirSync(snapshots).some((id) => /^\d{4}-\d\d-\d\d-issue-1-/.test(id) && existsSync(join(snapshots, id, "1.bin")));
}

/** Runs the batch and, once issue 1's session has saved its first snapshot, SIGKILLs its editor:
 * the code-server process group its `run` child started, as when the machine kills it. */
async function batchKillingIssueOne(args: readonly string[], snapshots: string): Promise<{ summary: { sessions: BatchRow[] }; stderr: string }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  let killed = false;
  const timer = setInterval(() => {
    const pid = /^#1 started \(pid (\d+)\)$/m.exec(stderr)?.[1];
    if (killed || !pid || !issueOneSnapshotted(snapshots)) return;
    killed = true;
    killEditorOf(pid);
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve)).finally(() => clearInterval(timer));
  assert.ok(killed, `issue 1 was killed mid-run\n${stderr}`);
  const summary = JSON.parse(stdout.trim() || "{}") as { sessions?: BatchRow[] };
  assert.ok(summary.sessions, `no summary (exit ${code}):\n${stdout}\n${stderr}`);
  return { summary: { sessions: summary.sessions }, stderr };
}

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

  it("runs all 8 sessions on the server, each on its own branch; one killed mid-run is resumed by the rerun", async () => {
    const head = git(repo, ["rev-parse", "HEAD"]).trim();
    const args = [cli, "batch", repo, "--issues", issues, "--engine", server.url, "--parallel", "4", "--json"];
    const first = await batchKillingIssueOne(args, join(repo, ".git/infinite-tool-use/snapshots"));
    const rows = first.summary.sessions;
    assert.deepEqual(rows.map((r) => r.issue), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(rows[0]!.reason, "crashed", `issue 1's editor was killed: ${JSON.stringify(rows[0])}`);
    const branches = new Set<string>();
    for (const row of rows) {
      if (row.issue !== 1) assert.notEqual(row.reason, "crashed", JSON.stringify(row));
      assert.match(row.branch ?? "", new RegExp(`^infinite/\\d{4}-\\d\\d-\\d\\d-issue-${row.issue}-`), JSON.stringify(row));
      assert.ok(row.steps >= 1 && row.steps <= 3, `within the 3-call budget: ${JSON.stringify(row)}`);
      if (row.issue !== 1) assert.ok(row.tokens > 0, `the server generated the calls: ${JSON.stringify(row)}`);
      branches.add(row.branch!);
    }
    assert.equal(branches.size, 8, "8 branches");
    assert.equal(git(repo, ["for-each-ref", "--format=%(refname)", "refs/infinite/traces/"]).split("\n").filter(Boolean).length, 8, "a trace per session");
    console.log(`    ${rows.map((r) => `#${r.issue} ${r.steps} steps, ${r.reason}`).join("; ")}`);
    for (let n = 1; n <= 8; n++) assert.match(first.stderr, new RegExp(`^#${n} ended: `, "m"), "a progress line per session");

    // What the killed session left: its trace, its branch tip, its newest slot snapshot.
    const store = await SessionStore.open(repo);
    const killed = rows[0]!;
    const id = killed.sessionId!;
    const stepsBefore = (await store.readTrace(id)).steps;
    assert.equal(stepsBefore.length, killed.steps);
    const tipBefore = git(repo, ["rev-parse", killed.branch!]).trim();
    const snapshot = store.snapshots.latestAtOrBefore(id, stepsBefore.length);
    assert.ok(snapshot, "the killed session saved a slot snapshot");
    const slotFile = (JSON.parse(readFileSync(snapshot.path, "utf8")) as { slotFile: string }).slotFile;
    assert.ok(existsSync(join(server.slotDir, slotFile)), "the server holds the snapshot's slot file");

    // A tiny random model never calls finish: every session ended unfinished (the budget, or the
    // kill), so the rerun resumes all 8, each from its newest slot snapshot (finished sessions being
    // skipped is batch.test.ts's, with replays that finish).
    const rerun = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 1_500_000 });
    const second = (JSON.parse(rerun.stdout.trim() || "{}") as { sessions?: BatchRow[] }).sessions;
    assert.ok(second, `no summary (exit ${rerun.status}):\n${rerun.stdout}\n${rerun.stderr}`);
    console.log(`    rerun: ${second.map((r) => `#${r.issue} ${r.action} after ${r.resumed?.afterStep ?? "?"}, ${r.steps} steps, ${r.reason}`).join("; ")}`);
    for (const [i, row] of second.entries()) {
      assert.equal(row.action, "resumed", JSON.stringify(row));
      assert.notEqual(row.reason, "crashed", JSON.stringify(row));
      assert.equal(row.branch, rows[i]!.branch, "the same session and branch");
      assert.equal(row.resumed?.restored, true, `the resume restored a slot snapshot: ${JSON.stringify(row)}`);
    }
    const resumed = second[0]!;
    assert.deepEqual(resumed.resumed, { afterStep: stepsBefore.length, snapshotStep: snapshot.step, reappendedSteps: stepsBefore.length - snapshot.step, restored: true }, "the killed session resumed from its newest slot snapshot");
    assert.ok(resumed.steps > stepsBefore.length && resumed.steps <= stepsBefore.length + 3, `it went on within its budget: ${JSON.stringify(resumed)}`);
    const stepsAfter = (await store.readTrace(id)).steps;
    assert.deepEqual(stepsAfter.slice(0, stepsBefore.length), stepsBefore, "the trace keeps the earlier steps");
    assert.equal(stepsAfter.length, resumed.steps);
    git(repo, ["merge-base", "--is-ancestor", tipBefore, killed.branch!]);
    assert.equal(git(repo, ["for-each-ref", "--format=%(refname)", "refs/infinite/traces/"]).split("\n").filter(Boolean).length, 8, "no new session");
    assert.equal(git(repo, ["rev-parse", "HEAD"]).trim(), head);
    assert.equal(git(repo, ["status", "--porcelain"]), "", "the user's files are untouched");
  });
});
