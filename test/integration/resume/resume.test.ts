// Resume inside a real VS Code with a tiny generated mamba2 model at temperature 0: a session stops
// unfinished at its step budget, its model state is read (next-token logits), the model host is
// killed as when the editor dies, and the Sessions view's Resume command continues the session: the
// restored model state gives the same logits, the next step recorded is step 4, the trace and the
// commits stay contiguous, and the branch and worktree are intact. Refusals change nothing.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import type { ResumedSession } from "../../../extension/host/run/resumeSession";
import { writeTinyModel } from "../../models/tinyModel";
import { activate, clearSettings, noteModelSessions, runResumed, setting } from "../support/vscode";

const workspace = process.env.ITU_WORKSPACE ?? "";
const runDir = process.env.ITU_RUN_DIR ?? "";
const TASK = "Make greet() say Hello instead of Hi";
const resumeCommand = "infiniteToolUse.sessions.resume";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" });
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length, "the logit vectors differ in length");
  let max = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe("resuming a session after the editor died", function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let modelPath: string;
  let userHead: string;
  let createdModelSessions: string[] = [];
  let sessionId = "";
  let branch = "";
  let worktree = "";
  let logitsAtStep3: number[] = [];
  let tokensAtStep3 = 0;

  before(async () => {
    git(workspace, "init", "-q", "-b", "main");
    git(workspace, "add", "-A");
    git(workspace, "commit", "-qm", "Greeter");
    userHead = git(workspace, "rev-parse", "HEAD").trim();
    modelPath = join(runDir, "tiny-mamba2.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 11, path: modelPath });
    api = await activate();
    await setting("infiniteToolUse.model", "path", modelPath);
    await setting("infiniteToolUse.sampling", "temperature", 0);
    await setting("infiniteToolUse.budget", "maxSteps", 3);
    await setting("infiniteToolUse.budget", "repeatLimit", 10);
    // Which model sessions the host creates, to read their logits.
    createdModelSessions = noteModelSessions(api);
  });

  after(async () => {
    await clearSettings([["infiniteToolUse.model", "path"], ["infiniteToolUse.sampling", "temperature"], ["infiniteToolUse.budget", "maxSteps"], ["infiniteToolUse.budget", "repeatLimit"]]);
  });

  it("runs the model until its step budget stops it unfinished, with a snapshot per step", async () => {
    const running = await api.workbench.start(TASK);
    const end = await running.done;
    assert.ok(end.reason === "budget" || end.reason === "repeat", `the session must stop unfinished: ${end.reason}: ${end.message}`);
    assert.equal(end.steps, 3);
    ({ id: sessionId, branch, worktreePath: worktree } = { id: running.session.id, branch: running.session.branch, worktreePath: running.session.worktreePath });
    // The state at the end of step 3, before anything else is appended.
    const modelSession = createdModelSessions.at(-1);
    assert.ok(modelSession, "no model session was created");
    tokensAtStep3 = await api.model.client.tokenCount(modelSession);
    logitsAtStep3 = await api.model.client.nextTokenLogits(modelSession);
    assert.ok(logitsAtStep3.length > 256, `logits for ${logitsAtStep3.length} tokens`);
    const info = (await (await api.sessions.stores())[0]!.list()).find((s) => s.id === sessionId);
    assert.equal(info?.status, "active");
    assert.equal(info?.steps, 3);
    const snapshots = (await api.sessions.stores())[0]!.snapshots.list(sessionId).map((s) => s.step).sort();
    assert.deepEqual(snapshots, [1, 2, 3]);
  });

  it("the editor dies: the model host is killed and a half-made change is left in the worktree", async () => {
    const pid = api.model.client.pid;
    assert.ok(pid, "the model host is not running");
    const crashed = new Promise<void>((resolve) => {
      const sub = api.model.onDidCrash(() => {
        sub.dispose();
        resolve();
      });
    });
    process.kill(pid, "SIGKILL");
    await crashed;
    assert.equal(api.model.client.running, false);
    assert.equal(api.workbench.current, undefined, "no run is left");
    writeFileSync(join(worktree, "half-written.txt"), "a call interrupted mid-way\n");
  });

  it("resumes through the Sessions view at step 4 with the same model state", async () => {
    const tipBefore = git(workspace, "rev-parse", branch).trim();
    await setting("infiniteToolUse.budget", "maxSteps", 1);
    const resumed = await vscode.commands.executeCommand<ResumedSession | undefined>(resumeCommand, sessionId, { paused: true });
    assert.ok(resumed, "the resume command failed (see the error notification in the log)");
    assert.equal(resumed.resumedAfterStep, 3);
    assert.equal(resumed.snapshotStep, 3);
    assert.equal(resumed.reappendedSteps, 0);
    assert.ok(resumed.modelSessionId, "the resumed session has no model session");
    assert.equal(await resumed.restored, true);
    assert.equal(existsSync(join(worktree, "half-written.txt")), false, "the worktree was not brought back to step 3");
    assert.equal(git(worktree, "rev-parse", "HEAD").trim(), tipBefore);

    // The same stream length (nothing appended twice or missed), then the same next-token logits.
    assert.equal(await api.model.client.tokenCount(resumed.modelSessionId), tokensAtStep3);
    const logits = await api.model.client.nextTokenLogits(resumed.modelSessionId);
    const diff = maxAbsDiff(logits, logitsAtStep3);
    assert.ok(diff <= 1e-4, `max |logit difference| ${diff}`);

    const { end, started } = await runResumed(resumed);
    assert.equal(end.reason, "budget", `${end.reason}: ${end.message}`);
    assert.deepEqual(started, [4]);
    assert.equal(end.steps, 4);
    // The panel's timeline holds the steps from before the restart and the new one.
    assert.deepEqual(api.taskPanel.state.snapshot().session?.steps.map((c) => c.step), [1, 2, 3, 4]);
  });

  it("keeps the trace and the commits contiguous and the branch and worktree intact", async () => {
    const store = (await api.sessions.stores())[0]!;
    const trace = await store.readTrace(sessionId);
    assert.deepEqual(trace.steps.map((s) => s.step), [1, 2, 3, 4]);
    const commits = git(workspace, "rev-list", "--reverse", `${userHead}..${branch}`).split("\n").filter(Boolean);
    assert.deepEqual(commits, trace.steps.flatMap((s) => (s.commit ? [s.commit] : [])), "one commit per state-changing step, in step order");
    for (const step of trace.steps.filter((s) => s.commit)) {
      assert.match(git(workspace, "show", "-s", "--format=%B", step.commit!), new RegExp(`Step: ${step.step}\\b`, "i"));
    }
    assert.equal(git(worktree, "rev-parse", "--abbrev-ref", "HEAD").trim(), branch);
    assert.equal(git(worktree, "status", "--porcelain"), "");
    assert.equal(store.snapshots.list(sessionId).some((s) => s.step === 4), true, "step 4's model state was saved");
    // The user's own branch and files were never touched.
    assert.equal(git(workspace, "rev-parse", "HEAD").trim(), userHead);
    assert.equal(git(workspace, "status", "--porcelain"), "");
  });

  it("refuses, changing nothing, when the model file is gone or the snapshot is another model's", async () => {
    const store = (await api.sessions.stores())[0]!;
    const marker = join(worktree, "left-alone.txt");
    writeFileSync(marker, "resume must not reset the worktree when it refuses\n");
    const tip = git(workspace, "rev-parse", branch).trim();

    renameSync(modelPath, `${modelPath}.moved`);
    try {
      await assert.rejects(api.workbench.resume(sessionId), /model file .*tiny-mamba2\.gguf is gone/);
    } finally {
      renameSync(`${modelPath}.moved`, modelPath);
    }
    const otherModel = join(runDir, "other-mamba2.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 12, path: otherModel });
    await assert.rejects(api.workbench.resume(sessionId, { model: otherModel }), /another model/);

    assert.equal(readFileSync(marker, "utf8"), "resume must not reset the worktree when it refuses\n");
    assert.equal(git(workspace, "rev-parse", branch).trim(), tip);
    assert.equal((await store.readTrace(sessionId)).steps.length, 4);
    assert.equal(api.workbench.current, undefined);
  });

  it("falls back to an older snapshot and re-appends the steps after it when the newest is damaged", async () => {
    const store = (await api.sessions.stores())[0]!;
    const newest = store.snapshots.list(sessionId).find((s) => s.step === 4);
    assert.ok(newest, "no snapshot of step 4");
    // The editor died while saving step 4's state: its description is cut short.
    writeFileSync(`${newest.path}.json`, "{");
    const resumed = await vscode.commands.executeCommand<ResumedSession | undefined>(resumeCommand, sessionId, { paused: true });
    assert.ok(resumed, "the resume command failed (see the error notification in the log)");
    assert.equal(resumed.resumedAfterStep, 4);
    assert.equal(resumed.snapshotStep, 3);
    assert.equal(resumed.reappendedSteps, 1);
    assert.equal(await resumed.restored, true);
    assert.ok((await api.model.client.tokenCount(resumed.modelSessionId!)) > tokensAtStep3, "step 4 was re-appended after step 3's state");
    void resumed.run.stop();
    const end = await resumed.done;
    assert.equal(end.reason, "cancelled");
    assert.equal((await store.readTrace(sessionId)).steps.length, 4, "a stopped resume records nothing");
  });

  it("refuses a finished session, and resumes a replayed one by replaying the calls it had not made", async () => {
    const trace = join(runDir, "three-calls.jsonl");
    const calls = [{ tool: "notes", args: { action: "write" }, body: "replayed" }, { tool: "goal", args: {} }, { tool: "finish", args: {}, body: "Done." }];
    writeFileSync(trace, calls.map((c) => JSON.stringify(c)).join("\n") + "\n");
    await setting("infiniteToolUse.budget", "maxSteps", 2);
    const first = await api.workbench.start("Replay three calls", { replay: trace });
    assert.equal((await first.done).reason, "budget");
    await setting("infiniteToolUse.budget", "maxSteps", 10);
    const resumed = await api.workbench.resume(first.session.id, { replay: trace });
    const end = await resumed.done;
    assert.equal(end.reason, "finished", end.message);
    assert.equal(end.steps, 3);
    const store = (await api.sessions.stores())[0]!;
    assert.deepEqual((await store.readTrace(first.session.id)).steps.map((s) => `${s.step}:${s.call.tool}`), ["1:notes", "2:goal", "3:finish"]);
    await assert.rejects(api.workbench.resume(first.session.id, { replay: trace }), /is finished/);
    assert.equal((await store.readTrace(first.session.id)).steps.length, 3);
  });
});
