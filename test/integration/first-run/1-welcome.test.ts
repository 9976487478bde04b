// A first run in a real VS Code (a fresh profile, no model chosen): the task panel welcomes with Pick
// Model and Choose GGUF File instead of a red failure, a task started without a model asks for one
// (no session, no branch), and a chosen model file shows by name. Screenshots in dark and light themes.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { pressKey, screenshot, textOf } from "../support/browser";
import { until, workspace } from "../support/vscode";
import { activate, nextMessage, setTheme, showPanel } from "../panel/support";

describe("first run: the task panel welcomes", function () {
  this.timeout(120_000);
  let api: ExtensionApi;

  before(async () => {
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: workspace() });
    execFileSync("git", ["commit", "-q", "--allow-empty", "-m", "Empty"], { cwd: workspace() });
    api = await activate();
    await setTheme("Default Dark Modern");
    await showPanel(api);
  });

  after(async () => {
    await vscode.workspace.getConfiguration("workbench").update("colorTheme", undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("infiniteToolUse.model").update("path", undefined, vscode.ConfigurationTarget.Global);
  });

  it("shows a welcome with Pick Model and Choose GGUF File, not a failure", async () => {
    const view = await api.taskPanel.testWebview({ kind: "describe" });
    assert.equal(view.modelError, false, "nothing has failed yet: the model line must not be red");
    assert.equal(view.modelText, "none no model chosen");
    assert.match(view.welcomeText, /^Welcome\. Choose the model that will do the work; it runs on this machine, and nothing is sent anywhere\. Pick Model… Choose GGUF File…$/);
    assert.equal(view.enabled["welcome-pick-model"], true);
    assert.equal(view.enabled["choose-model-file"], true);
    await screenshot("first-run-panel-dark");
    await setTheme("Default Light Modern");
    await screenshot("first-run-panel-light");
  });

  it("opens the model picker and the file chooser from the welcome's buttons", async () => {
    const picked = nextMessage(api, "pickModel");
    await api.taskPanel.testWebview({ kind: "press", control: "welcome-pick-model" });
    await picked;
    await until("the model quick pick", async () => /Pick a model[\s\S]*Use a local GGUF file/.test(await textOf(".quick-input-widget")), 30_000, 100);
    await pressKey("Escape");
    const command = nextMessage(api, "command");
    await api.taskPanel.testWebview({ kind: "press", control: "choose-model-file" });
    assert.deepEqual(await command, { type: "command", command: "chooseModelFile" });
    // code-server shows its own file dialog (a quick input) for showOpenDialog.
    await until("the GGUF file dialog", async () => (await textOf(".quick-input-widget")).trim().length > 0, 30_000, 100);
    await pressKey("Escape");
  });

  it("asks for a model when a task is started without one, and starts nothing", async () => {
    const branches = execFileSync("git", ["branch", "--list"], { cwd: workspace(), encoding: "utf8" });
    const started = vscode.commands.executeCommand("infiniteToolUse.startTask", "Add a README");
    await until("the choose-a-model notification", async () => /Choose a model first: Infinite Tool Use runs a local GGUF model/.test(await textOf(".notifications-toasts")), 30_000, 100);
    await screenshot("first-run-task-without-model");
    const toast = await textOf(".notifications-toasts");
    assert.match(toast, /Pick Model…/);
    assert.match(toast, /Choose GGUF File…/);
    assert.doesNotMatch(toast, /failed/i);
    const view = await api.taskPanel.testWebview({ kind: "describe" });
    assert.equal(view.modelError, false);
    assert.equal(view.statusText, "Choose a model first (Pick Model or Choose GGUF File above).");
    assert.equal(api.workbench.current, undefined, "no session may start without a model");
    assert.equal(execFileSync("git", ["branch", "--list"], { cwd: workspace(), encoding: "utf8" }), branches, "no branch was made");
    await vscode.commands.executeCommand("notifications.clearAll");
    assert.equal(await started, undefined);
  });

  it("shows a chosen model file by name until it loads, and the welcome goes away", async () => {
    await vscode.workspace.getConfiguration("infiniteToolUse.model").update("path", "/models/granite-4.0-h-micro-Q4_K_M.gguf", vscode.ConfigurationTarget.Global);
    const view = await until("the model name in the panel", async () => {
      const v = await api.taskPanel.testWebview({ kind: "describe" });
      return v.welcomeText === "" && v;
    }, 10_000, 100);
    assert.equal(view.modelText, "granite-4.0-h-micro-Q4_K_M.gguf not loaded yet — loads when a task starts");
    assert.equal(view.modelError, false);
  });

  it("keeps red for a real failure: a model file that is not a GGUF model", async () => {
    const notAModel = join(process.env.ITU_RUN_DIR ?? "", "notes.gguf");
    writeFileSync(notAModel, "these are notes, not a model\n".repeat(100));
    await vscode.workspace.getConfiguration("infiniteToolUse.model").update("path", notAModel, vscode.ConfigurationTarget.Global);
    const ended = await api.workbench.start("Add a README").then((running) => running.done, (error: unknown) => error);
    assert.ok(ended, "the start must fail or end");
    const view = await until("the failed model line", async () => {
      const v = await api.taskPanel.testWebview({ kind: "describe" });
      return v.modelError && v;
    }, 30_000, 100);
    assert.match(view.modelText, /^notes\.gguf failed to load — /);
    assert.equal(view.welcomeText, "", "a real failure is not a first run");
    await screenshot("first-run-real-failure");
    await vscode.commands.executeCommand("notifications.clearAll");
  });
});
