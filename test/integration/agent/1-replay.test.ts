// A whole session inside a real VS Code, driven by the replay policy: it opens ranges, edits, runs the
// project's test task, reads diagnostics, writes notes and finishes; the branch, the panel and the
// Review command all show it. The user's own branch and files are left as they were.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { screenshot } from "../support/browser";
import { activate, git, initRepository, setTheme, showPanel, traces, workspace } from "./support";

const expectedMath = "export function add(a, b) {\n  return a + b;\n}\n\nexport function subtract(a, b) {\n  return a - b;\n}\n";

describe("a replayed session", function () {
  let api: ExtensionApi;
  let userHead: string;

  before(async () => {
    initRepository();
    userHead = git("rev-parse", "HEAD").trim();
    api = await activate();
    await setTheme("Default Light Modern");
    await showPanel(api);
  });

  after(async () => {
    await vscode.workspace.getConfiguration("workbench").update("colorTheme", undefined, vscode.ConfigurationTarget.Global);
  });

  it("runs every kind of step to finish and records them on its branch", async () => {
    const running = await api.workbench.start("Add subtract() next to add() and test it", { replay: join(traces, "add-subtract.jsonl") });
    // Pause mid-session for the picture of a session in progress.
    let paused = false;
    const sub = running.run.onEvent((event) => {
      if (event.type === "stepFinished" && event.step === 4 && !paused) {
        paused = true;
        running.run.pause();
      }
    });
    while (!paused) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await screenshot("session-light-mid-session");
    await setTheme("Default Dark Modern");
    await screenshot("session-dark-mid-session");
    running.run.resume();
    const end = await running.done;
    sub.dispose();
    assert.equal(end.reason, "finished", end.message);
    assert.equal(end.steps, 10);

    const branch = running.session.branch;
    assert.equal(git("show", `${branch}:src/math.js`), expectedMath);
    const test = git("show", `${branch}:test/math.test.mjs`);
    assert.match(test, /import \{ add, subtract \} from "\.\.\/src\/math\.js";/);
    assert.match(test, /test\("subtract", \(\) => assert\.equal\(subtract\(5, 3\), 2\)\);/);
    // One commit per state-changing step (three edits), on top of the user's commit.
    assert.equal(git("rev-list", "--count", `${userHead}..${branch}`).trim(), "3");

    // The trace holds every step, read-only ones too, with the task's real outcomes.
    const trace = (await running.session.readTrace()).steps;
    assert.deepEqual(trace.map((s) => s.call.tool), ["outline", "open_range", "notes", "insert_lines", "replace_range", "insert_lines", "run_task", "read_diagnostics", "notes", "finish"]);
    const runTask = trace[6].observation;
    assert.equal(runTask.ok, true, runTask.text);
    assert.match(runTask.text, /exit code 0/i);
    assert.match(runTask.text, /pass 2/);
    assert.equal(trace[7].observation.ok, true, trace[7].observation.text);
  });

  it("shows the finished session's summary and steps in the panel", async () => {
    const view = await api.taskPanel.testWebview({ kind: "describe" });
    assert.equal(view.summaryVisible, true);
    assert.match(view.summaryText, /Added subtract\(\) next to add\(\) with a test/);
    assert.equal(view.cards.length, 10);
    assert.match(view.cards[6].text, /run_task/);
    assert.match(view.notesText, /Tests pass; no new problems\./);
    await screenshot("session-dark-finished");
    await setTheme("Default Light Modern");
    await screenshot("session-light-finished");
  });

  it("opens the branch diff for review with the files the session changed", async () => {
    assert.equal(api.workbench.current, undefined, "the session has ended");
    const branch = git("branch", "--list", "infinite/*", "--format=%(refname:short)").trim();
    const id = branch.slice("infinite/".length);
    const title = await vscode.commands.executeCommand<string>("infiniteToolUse.sessions.review", id);
    assert.ok(title, "review returned no title");
    const deadline = Date.now() + 15_000;
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    let tab = tabs().find((t) => t.label.startsWith(title));
    while (!tab && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      tab = tabs().find((t) => t.label.startsWith(title));
    }
    const input = tab?.input as { textDiffs?: { modified: vscode.Uri }[] } | undefined;
    assert.ok(input?.textDiffs, `no multi-file diff tab: ${JSON.stringify(tabs().map((t) => t.label))}`);
    assert.deepEqual(input.textDiffs.map((d) => d.modified.path.replace(/^\//, "")).sort(), ["src/math.js", "test/math.test.mjs"]);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("left the user's branch, index and files as they were", () => {
    assert.equal(git("rev-parse", "HEAD").trim(), userHead);
    assert.equal(git("status", "--porcelain"), "");
    assert.equal(readFileSync(join(workspace, "src/math.js"), "utf8"), "export function add(a, b) {\n  return a + b;\n}\n");
  });

  it("stops a session that repeats one call, at the configured limit", async () => {
    await vscode.workspace.getConfiguration("infiniteToolUse.budget").update("repeatLimit", 3, vscode.ConfigurationTarget.Workspace);
    const running = await api.workbench.start("Look at add()", { replay: join(traces, "repeat.jsonl") });
    const end = await running.done;
    assert.equal(end.reason, "repeat", end.message);
    assert.equal(end.steps, 3);
  });
});
