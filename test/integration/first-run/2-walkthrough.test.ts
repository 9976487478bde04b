// The first-session walkthrough in a real VS Code: its steps (pick a model, start a task, review the
// branch) are contributed, every command its buttons run exists, and the page shows them; its Pick
// Model button opens the picker.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { click, pressKey, screenshot, textOf } from "../support/browser";
import { activate, extensionId, until } from "../support/vscode";

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}

describe("first run: the walkthrough", function () {
  this.timeout(120_000);
  let steps: WalkthroughStep[] = [];

  before(async () => {
    await activate();
    const walkthroughs = vscode.extensions.getExtension(extensionId)?.packageJSON.contributes.walkthroughs as Array<{ id: string; steps: WalkthroughStep[] }>;
    steps = walkthroughs.find((w) => w.id === "firstSession")?.steps ?? [];
  });

  it("has the three steps of a first session, each with commands that exist", async () => {
    assert.deepEqual(steps.map((s) => s.title), ["Pick a model", "Start a task", "Review the branch"]);
    const registered = new Set(await vscode.commands.getCommands(true));
    const linked = steps.flatMap((s) => [...s.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!));
    assert.deepEqual(linked, ["infiniteToolUse.pickModel", "infiniteToolUse.chooseModelFile", "infiniteToolUse.taskPanel.focus", "infiniteToolUse.sessions.focus"]);
    for (const command of linked) assert.ok(registered.has(command), `the walkthrough runs ${command}, which is not registered`);
    for (const event of steps.flatMap((s) => s.completionEvents ?? [])) {
      const command = /^onCommand:(.+)$/.exec(event)?.[1];
      if (command) assert.ok(registered.has(command), `a step completes on ${command}, which is not registered`);
    }
  });

  it("shows its steps in the Welcome page, and its Pick Model button opens the picker", async () => {
    await vscode.commands.executeCommand("workbench.action.openWalkthrough", `${extensionId}#firstSession`, false);
    const page = await until("the walkthrough page", async () => {
      const text = await textOf(".gettingStartedContainer");
      return /Your first Infinite Tool Use session/.test(text) && /Pick a model/.test(text) && /Review the branch/.test(text) && text;
    }, 30_000, 200);
    assert.match(page, /Start a task/);
    await screenshot("first-run-walkthrough");
    await click(".gettingStartedContainer .getting-started-step.expanded a, .gettingStartedContainer .getting-started-step.expanded .monaco-button", "Pick Model");
    await until("the model quick pick", async () => /Pick a model/.test(await textOf(".quick-input-widget")), 30_000, 100);
    await pressKey("Escape");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });
});
