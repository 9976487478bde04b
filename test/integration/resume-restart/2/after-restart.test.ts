// Part 2 of the real-restart resume, in a freshly started editor on the same workspace and profile:
// the old editor's model host is gone, the session is still unfinished, and the Sessions view's
// Resume continues it at step 4 from the saved model state (the same token count and next-token
// logits as before the kill), with the half-made change undone, the trace and the commits
// contiguous, and the user's branch untouched.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ResumedSession } from "../../../../extension/host/run/resumeSession";
import { activate, clearSettings, runResumed, setting } from "../../support/vscode";
import { git, stateFile, type BeforeRestart } from "../shared";

const workspace = process.env.ITU_WORKSPACE ?? "";

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length, "the logit vectors differ in length");
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("after the editor was killed and started again: Resume", function () {
  this.timeout(180_000);
  let before: BeforeRestart;

  it("finds the old editor gone and the session unfinished", async () => {
    assert.ok(existsSync(stateFile()), "part 1 left no state (did it run?)");
    before = JSON.parse(readFileSync(stateFile(), "utf8")) as BeforeRestart;
    assert.equal(alive(before.modelHostPid), false, `the old model host (pid ${before.modelHostPid}) survived the editor`);
    const api = await activate();
    assert.equal(api.workbench.current, undefined, "a fresh editor runs no session");
    const store = (await api.sessions.stores())[0]!;
    const info = (await store.list()).find((s) => s.id === before.sessionId);
    assert.equal(info?.status, "active", "the killed session is still unfinished");
    assert.equal(info?.steps, 3);
    assert.equal(readFileSync(join(before.worktree, "half-written.txt"), "utf8"), "a call interrupted mid-way\n");
  });

  it("resumes through the Sessions view at step 4 with the same model state", async () => {
    const api = await activate();
    await setting("infiniteToolUse.budget", "maxSteps", 1);
    const resumed = await vscode.commands.executeCommand<ResumedSession | undefined>("infiniteToolUse.sessions.resume", before.sessionId, { paused: true });
    assert.ok(resumed, "the resume command failed (see the error notification in the log)");
    assert.equal(resumed.resumedAfterStep, 3);
    assert.equal(resumed.snapshotStep, 3);
    assert.equal(resumed.reappendedSteps, 0);
    assert.equal(await resumed.restored, true);
    assert.ok(resumed.modelSessionId, "the resumed session has no model session");
    assert.notEqual(api.model.client.pid, before.modelHostPid, "a new model host runs the resumed session");
    assert.equal(existsSync(join(before.worktree, "half-written.txt")), false, "the worktree was not brought back to step 3");
    assert.equal(git(before.worktree, "rev-parse", "HEAD").trim(), before.tip);
    assert.equal(await api.model.client.tokenCount(resumed.modelSessionId), before.tokensAtStep3);
    const diff = maxAbsDiff(await api.model.client.nextTokenLogits(resumed.modelSessionId), before.logitsAtStep3);
    assert.ok(diff <= 1e-4, `max |logit difference| ${diff}`);

    const { end, started } = await runResumed(resumed);
    assert.equal(end.reason, "budget", `${end.reason}: ${end.message}`);
    assert.deepEqual(started, [4]);
    assert.equal(end.steps, 4);
    assert.deepEqual(api.taskPanel.state.snapshot().session?.steps.map((c) => c.step), [1, 2, 3, 4]);
  });

  it("keeps the trace and the commits contiguous and the user's branch untouched", async () => {
    const api = await activate();
    const store = (await api.sessions.stores())[0]!;
    const trace = await store.readTrace(before.sessionId);
    assert.deepEqual(trace.steps.map((s) => s.step), [1, 2, 3, 4]);
    const commits = git(workspace, "rev-list", "--reverse", `${before.userHead}..${before.branch}`).split("\n").filter(Boolean);
    assert.deepEqual(commits, trace.steps.flatMap((s) => (s.commit ? [s.commit] : [])), "one commit per state-changing step, in step order");
    assert.equal(git(before.worktree, "rev-parse", "--abbrev-ref", "HEAD").trim(), before.branch);
    assert.equal(git(before.worktree, "status", "--porcelain"), "");
    assert.equal(store.snapshots.list(before.sessionId).some((s) => s.step === 4), true, "step 4's model state was saved");
    assert.equal(git(workspace, "rev-parse", "HEAD").trim(), before.userHead);
    assert.equal(git(workspace, "status", "--porcelain"), "");
    await clearSettings([["infiniteToolUse.model", "path"], ["infiniteToolUse.sampling", "temperature"], ["infiniteToolUse.budget", "maxSteps"], ["infiniteToolUse.budget", "repeatLimit"]]);
  });
});
