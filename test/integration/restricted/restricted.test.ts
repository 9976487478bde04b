// Workspace Trust in a real VS Code: this group's folder opens untrusted (Restricted Mode). The
// extension still activates (it declares limited support), the model's reading and editing tools
// work, and run_task is refused with a clear message: the user's task never runs.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import type { HostToolExecutor } from "../../../extension/host/tools";
import { screenshot } from "../support/browser";
import { showPanel } from "../panel/support";
import { until, workspace } from "../support/vscode";

describe("Restricted Mode (untrusted workspace)", function () {
  this.timeout(60_000);
  let tools: HostToolExecutor;
  let api: ExtensionApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>("infinite-tool-use.infinite-tool-use");
    assert.ok(extension, "the extension must stay enabled in Restricted Mode");
    api = await extension.activate();
    tools = api.tools.createExecutor();
  });
  after(() => tools?.dispose());

  it("opens the folder untrusted", () => {
    assert.equal(vscode.workspace.isTrusted, false, "the launcher should have opened this group's folder in Restricted Mode");
  });

  it("refuses run_task and the user's task never runs", async () => {
    const observation = await tools.execute({ tool: "run_task", args: { name: "write-marker" } });
    assert.equal(observation.ok, false, observation.text);
    assert.match(observation.text, /run_task is unavailable: the workspace is in Restricted Mode \(not trusted\)/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(existsSync(join(workspace(), "task-ran.txt")), false, "the task must not have run");
  });

  it("still reads and edits files", async () => {
    const read = await tools.execute({ tool: "open_range", args: { path: "src/add.ts", start: 1, end: 3 } });
    assert.equal(read.ok, true, read.text);
    assert.match(read.text, /return a \+ b;/);
    const edit = await tools.execute({
      tool: "replace_range",
      args: { path: "src/add.ts", start: 2, end: 2, start_text: "  return a + b;", end_text: "  return a + b;" },
      body: "  return b + a;",
    });
    assert.equal(edit.ok, true, edit.text);
    assert.equal(readFileSync(join(workspace(), "src/add.ts"), "utf8"), "export function add(a: number, b: number): number {\n  return b + a;\n}\n");
  });

  it("says so in the task panel, whose button opens the Workspace Trust editor", async () => {
    await showPanel(api);
    const view = await api.taskPanel.testWebview({ kind: "describe" });
    assert.match(view.restrictedText, /^Restricted Mode: this workspace is not trusted, so the model can read and edit files but cannot run tasks\. Manage Workspace Trust…$/);
    assert.equal(view.enabled["manage-trust"], true);
    await screenshot("restricted-mode-panel");
    await api.taskPanel.testWebview({ kind: "press", control: "manage-trust" });
    const trustTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((tab) => /Workspace Trust/.test(tab.label));
    await until("the Workspace Trust editor", trustTab, 15_000, 200).catch(() => undefined); // the assertion below says what opened instead
    assert.ok(trustTab(), `no Workspace Trust editor opened; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(", ")}`);
  });
});
