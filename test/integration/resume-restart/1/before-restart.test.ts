// Part 1 of the real-restart resume: a session runs the tiny mamba2 model (temperature 0) for three
// steps and is paused there, mid-session, with its model state read (token count, next-token logits)
// and a half-made change left in its worktree. The test then ends and the launcher kills the whole
// editor (code-server, the extension host, the model host) with SIGKILL: nothing shuts down
// gracefully. Part 2 starts the editor again on the same workspace and resumes.
import * as assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ExtensionApi } from "../../../../extension/host/extensionApi";
import { writeTinyModel } from "../../../models/tinyModel";
import { activate, noteModelSessions, setting } from "../../support/vscode";
import { git, stateFile, TASK, type BeforeRestart } from "../shared";

const workspace = process.env.ITU_WORKSPACE ?? "";

describe("before the editor dies: a session paused after step 3", function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let createdModelSessions: string[] = [];

  before(async () => {
    git(workspace, "init", "-q", "-b", "main");
    git(workspace, "add", "-A");
    git(workspace, "commit", "-qm", "Greeter");
    api = await activate();
    const modelPath = join(process.env.ITU_RUN_DIR ?? "", "tiny-mamba2.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 11, path: modelPath });
    await setting("infiniteToolUse.model", "path", modelPath);
    await setting("infiniteToolUse.sampling", "temperature", 0);
    await setting("infiniteToolUse.budget", "maxSteps", 50);
    await setting("infiniteToolUse.budget", "repeatLimit", 50);
    createdModelSessions = noteModelSessions(api);
  });

  it("runs three steps, pauses before the fourth and records the exact state", async () => {
    const running = await api.workbench.start(TASK);
    const paused = new Promise<void>((resolve) => {
      running.run.onEvent((event) => {
        // Paused from the step's own event: the pause takes hold before step 4 begins.
        if (event.type === "stepFinished" && event.step === 3) running.run.pause();
        if (event.type === "paused") resolve();
      });
    });
    const ended = running.done.then((end) => assert.fail(`the session ended before the restart: ${end.reason}: ${end.message}`));
    await Promise.race([paused, ended]);
    const store = (await api.sessions.stores())[0]!;
    const info = (await store.list()).find((s) => s.id === running.session.id);
    assert.equal(info?.status, "active");
    assert.equal(info?.steps, 3);
    assert.deepEqual(store.snapshots.list(running.session.id).map((s) => s.step).sort(), [1, 2, 3]);
    const modelSession = createdModelSessions.at(-1);
    assert.ok(modelSession, "no model session was created");
    const modelHostPid = api.model.client.pid;
    assert.ok(modelHostPid, "the model host is not running");
    const state: BeforeRestart = {
      sessionId: running.session.id,
      branch: running.session.branch,
      worktree: running.session.worktreePath,
      userHead: git(workspace, "rev-parse", "main").trim(),
      tip: git(workspace, "rev-parse", running.session.branch).trim(),
      modelPath: (await api.model.client.modelInfo())?.path ?? "",
      modelHostPid,
      tokensAtStep3: await api.model.client.tokenCount(modelSession),
      logitsAtStep3: await api.model.client.nextTokenLogits(modelSession),
    };
    assert.ok(state.logitsAtStep3.length > 256);
    // A tool call the editor died in the middle of.
    writeFileSync(join(state.worktree, "half-written.txt"), "a call interrupted mid-way\n");
    writeFileSync(stateFile(), JSON.stringify(state));
    assert.ok(api.workbench.current, "the session is still running (paused) when the editor dies");
  });
});
