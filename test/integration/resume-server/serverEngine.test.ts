// A tiny-model session inside a real VS Code on the server engine: a real llama-server (built from
// node-llama-cpp's llama.cpp bundle) on a free port, infiniteToolUse.engine.url pointing at it. The
// session's calls parse (the grammar is enforced on the server), each state-changing step commits,
// each step's model state is a slot file; the killed server gives one clear sentence and leaves
// the session resumable, and when it is back at the same URL, resume restores step 3's slot. The
// Sessions view's rewind to step 2 then cuts the branch and the trace there, and the resume after it
// restores step 2's slot file (the server evaluates only what was appended since) and records step 3
// on top. (The tiny random model's calls change no file, so the branch tip is the base commit.)
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import type { RewindResult } from "../../../extension/core/sessions/index";
import type { ResumedSession } from "../../../extension/host/run/resumeSession";
import { llamaServerMissing, startLlamaServer, type RunningLlamaServer } from "../../harness/llamaServerProcess";
import { writeTinyModel } from "../../models/tinyModel";
import { activate, clearSettings, setting } from "../support/vscode";

const workspace = process.env.ITU_WORKSPACE ?? "";
const runDir = process.env.ITU_RUN_DIR ?? "";
const repoRoot = process.env.ITU_REPO_ROOT ?? "";
const TASK = "Make greet() say Hello instead of Hi";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" });
}

const missing = llamaServerMissing(repoRoot);

(missing ? describe.skip : describe)(`a session on the llama-server engine${missing ? ` (skipped: ${missing})` : ""}`, function () {
  this.timeout(240_000);
  let api: ExtensionApi;
  let server: RunningLlamaServer;
  let modelPath: string;
  let userHead: string;
  let sessionId = "";
  let branch = "";

  before(async () => {
    git(workspace, "init", "-q", "-b", "main");
    git(workspace, "add", "-A");
    git(workspace, "commit", "-qm", "Greeter");
    userHead = git(workspace, "rev-parse", "HEAD").trim();
    modelPath = join(runDir, "tiny-mamba2.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 11, path: modelPath });
    server = await startLlamaServer(repoRoot, { model: modelPath, slots: 2 });
    api = await activate();
    await setting("infiniteToolUse.engine", "url", server.url);
    await setting("infiniteToolUse.sampling", "temperature", 0);
    await setting("infiniteToolUse.budget", "maxSteps", 3);
    await setting("infiniteToolUse.budget", "repeatLimit", 10);
  });

  after(async () => {
    await server?.kill();
    await clearSettings([["infiniteToolUse.engine", "url"], ["infiniteToolUse.sampling", "temperature"], ["infiniteToolUse.budget", "maxSteps"], ["infiniteToolUse.budget", "repeatLimit"]]);
  });

  it("runs three steps on the server: parsed calls, one commit per changing step, a slot snapshot per step", async () => {
    const running = await api.workbench.start(TASK);
    const end = await running.done;
    assert.ok(end.reason === "budget" || end.reason === "repeat", `the session must stop unfinished: ${end.reason}: ${end.message}`);
    assert.equal(end.steps, 3);
    sessionId = running.session.id;
    branch = running.session.branch;
    const model = api.taskPanel.state.snapshot().model;
    assert.equal(model?.detail, `engine: llama-server at ${server.url} (model tiny-mamba2.gguf)`);
    assert.match(model?.format ?? "", /^format plain — /, "the panel says which tool-call format the server session uses");
    const store = (await api.sessions.stores())[0]!;
    const trace = await store.readTrace(sessionId);
    const names = new Set(toolDefinitions.map((t) => t.name));
    for (const step of trace.steps) {
      // The grammar holds on the server: a call either parses, or (a random model writing a body
      // without end) was cut by the turn's token limit, as it is in-process.
      const cut = step.call.tool === "invalid_output" && /reached its \d+-token limit/.test(step.observation.text);
      assert.ok(names.has(step.call.tool) || cut, `step ${step.step} called ${step.call.tool}: ${step.observation.text.slice(0, 300)}`);
      assert.ok(step.output && step.output.tokens.length > 0, `step ${step.step} has no model output`);
    }
    const commits = git(workspace, "rev-list", "--reverse", `${userHead}..${branch}`).split("\n").filter(Boolean);
    assert.deepEqual(commits, trace.steps.flatMap((s) => (s.commit ? [s.commit] : [])));
    const snapshots = store.snapshots.list(sessionId).sort((a, b) => a.step - b.step);
    assert.deepEqual(snapshots.map((s) => s.step), [1, 2, 3]);
    const saved = JSON.parse(readFileSync(snapshots[2]!.path, "utf8")) as { format: string; model: { name: string }; slotFile: string };
    assert.equal(saved.format, "infinite-tool-use/llama-server-snapshot");
    assert.equal(saved.model.name, "tiny-mamba2.gguf");
    readFileSync(join(server.slotDir, saved.slotFile));
    assert.equal(git(workspace, "rev-parse", "HEAD").trim(), userHead);
  });

  it("says the server is not reachable when it was killed, and leaves the session resumable", async () => {
    await server.kill();
    const tip = git(workspace, "rev-parse", branch).trim();
    // The run opens the model once it runs: the resume ends at once with the server's sentence.
    const unreachable = /The llama-server at http:\/\/127\.0\.0\.1:\d+ is not reachable \(ECONNREFUSED\); start it, or change infiniteToolUse\.engine\.url\./;
    const message = await api.workbench.resume(sessionId).then(async (r) => { const end = await r.done; assert.equal(end.reason, "error"); return end.message; }, (e: unknown) => String(e));
    assert.match(message, unreachable);
    const info = (await (await api.sessions.stores())[0]!.list()).find((s) => s.id === sessionId);
    assert.equal(info?.status, "active");
    assert.equal(info?.steps, 3);
    assert.equal(git(workspace, "rev-parse", branch).trim(), tip);
  });

  it("resumes from step 3's slot file when the server is back at the same URL", async () => {
    server = await startLlamaServer(repoRoot, { model: modelPath, slots: 2, port: server.port, slotDir: server.slotDir });
    await setting("infiniteToolUse.budget", "maxSteps", 1);
    const resumed = await vscode.commands.executeCommand<ResumedSession | undefined>("infiniteToolUse.sessions.resume", sessionId, { paused: true });
    assert.ok(resumed, "the resume command failed (see the error notification in the log)");
    assert.equal(resumed.resumedAfterStep, 3);
    assert.equal(resumed.snapshotStep, 3);
    assert.equal(resumed.reappendedSteps, 0);
    assert.equal(await resumed.restored, true);
    resumed.run.resume();
    const end = await resumed.done;
    assert.equal(end.reason, "budget", `${end.reason}: ${end.message}`);
    assert.equal(end.steps, 4);
    const trace = await (await api.sessions.stores())[0]!.readTrace(sessionId);
    assert.deepEqual(trace.steps.map((s) => s.step), [1, 2, 3, 4]);
  });

  it("rewinds to step 2 through the Sessions command, restores step 2's slot file and continues from there", async () => {
    const store = (await api.sessions.stores())[0]!;
    const before = await store.readTrace(sessionId);
    const traceBefore = git(workspace, "rev-parse", `refs/infinite/traces/${sessionId}`).trim();
    const rewound = await vscode.commands.executeCommand<RewindResult | undefined>("infiniteToolUse.sessions.rewind", sessionId, 2);
    assert.ok(rewound, "the rewind command failed (see the error notification in the log)");
    const cutTrace = git(workspace, "rev-parse", `refs/infinite/traces/${sessionId}`).trim();
    const stepTwoCommit = before.steps.slice(0, 2).reverse().find((s) => s.commit)?.commit ?? userHead;
    assert.equal(rewound.commit, stepTwoCommit);
    assert.equal(git(workspace, "rev-parse", branch).trim(), stepTwoCommit, "the branch tip is step 2's commit");
    assert.deepEqual((await store.readTrace(sessionId)).steps.map((s) => s.step), [1, 2], "the trace is cut at step 2");
    assert.equal(rewound.snapshot?.step, 2);
    const saved = JSON.parse(readFileSync(rewound.snapshot!.path, "utf8")) as { slotFile: string; tokens: number[] };
    readFileSync(join(server.slotDir, saved.slotFile));

    await setting("infiniteToolUse.budget", "maxSteps", 1);
    const resumed = await vscode.commands.executeCommand<ResumedSession | undefined>("infiniteToolUse.sessions.resume", sessionId, { paused: true });
    assert.ok(resumed, "the resume command failed (see the error notification in the log)");
    assert.equal(resumed.resumedAfterStep, 2);
    assert.equal(resumed.snapshotStep, 2);
    assert.equal(resumed.reappendedSteps, 0);
    assert.equal(await resumed.restored, true);
    resumed.run.resume();
    const end = await resumed.done;
    assert.equal(end.reason, "budget", `${end.reason}: ${end.message}`);
    assert.equal(end.steps, 3);
    const after = await store.readTrace(sessionId);
    assert.deepEqual(after.steps.map((s) => s.step), [1, 2, 3]);
    // Step 3 went on from step 2's state in the slot: the server evaluated only what the stream
    // appended after the restore; a lost slot file would have it evaluate the whole stream again.
    const cost = (resumed.model as { lastTurn?: { newTokens: number; evaluated: number; cached: number } } | undefined)?.lastTurn;
    assert.ok(cost, "the resumed stream is not the server engine's");
    assert.ok(cost.cached > 0 && cost.cached <= saved.tokens.length, `the slot held step 2's ${saved.tokens.length} tokens: ${JSON.stringify(cost)}`);
    assert.equal(cost.evaluated, cost.newTokens, `only the appended tokens were evaluated: ${JSON.stringify(cost)}`);
    // The step is recorded on top of the cut trace, and on top of step 2's commit on the branch.
    const traceRef = `refs/infinite/traces/${sessionId}`;
    assert.notEqual(git(workspace, "rev-parse", traceRef).trim(), cutTrace);
    assert.equal(git(workspace, "rev-parse", `${traceRef}~1`).trim(), cutTrace, "step 3 is one trace commit on top of the rewind");
    const tip = git(workspace, "rev-parse", branch).trim();
    assert.equal(tip, after.steps[2]!.commit ?? stepTwoCommit);
    if (after.steps[2]!.commit) assert.equal(git(workspace, "rev-parse", `${tip}^`).trim(), stepTwoCommit);
    // The rewound-over steps stay reachable.
    assert.equal(git(workspace, "rev-parse", rewound.backup.trace).trim(), traceBefore);
    assert.equal(git(workspace, "rev-parse", "HEAD").trim(), userHead);
  });
});
