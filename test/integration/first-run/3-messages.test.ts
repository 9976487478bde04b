// The repeat stop where a user meets it, in a real VS Code: a session whose calls name no tool is
// stopped by the repeat detector, and the notification and the panel's summary say so in one sentence
// that names the output and why it is invalid ("stopped" said once).
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { screenshot, textOf } from "../support/browser";
import { activate, until, workspace } from "../support/vscode";
import { showPanel } from "../panel/support";

describe("messages: the repeat stop", function () {
  this.timeout(120_000);
  let api: ExtensionApi;

  before(async () => {
    if (!existsSync(join(workspace(), ".git"))) {
      execFileSync("git", ["init", "-q", "-b", "main"], { cwd: workspace() });
      execFileSync("git", ["commit", "-q", "--allow-empty", "-m", "Empty"], { cwd: workspace() });
    }
    api = await activate();
    // The welcome suite may have left the panel showing (then no new page says "ready").
    await api.taskPanel.testWebview({ kind: "describe" }).catch(() => showPanel(api));
    await vscode.commands.executeCommand("notifications.clearAll");
  });

  it("says which output repeated and why it is not a valid call, in the notification and the panel", async () => {
    const trace = join(process.env.ITU_RUN_DIR ?? "", "repeating.jsonl");
    writeFileSync(trace, `${JSON.stringify({ tool: "frobnicate", args: { path: "a.txt" } })}\n`.repeat(5));
    const running = await api.workbench.start("Tidy a.txt", { replay: trace });
    const end = await running.done;
    assert.equal(end.reason, "repeat", end.message);
    const expected = /Session stopped after 3 steps: the model wrote the same invalid tool call 3 times in a row \(there is no tool "frobnicate"\): \{"tool":"frobnicate","args":\{"path":"a\.txt"\}\}\./;
    let seen = "";
    const toast = await until(() => `the session-end notification (saw: ${seen})`, async () => {
      seen = await textOf(".notifications-toasts");
      return expected.test(seen) && seen;
    }, 30_000, 100);
    assert.equal(toast.match(/stopped/gi)?.length, 1, `"stopped" is said once: ${toast}`);
    const view = await api.taskPanel.testWebview({ kind: "describe" });
    assert.match(view.summaryText, /Stopped: the model wrote the same invalid tool call 3 times in a row \(there is no tool "frobnicate"/);
    await screenshot("first-run-repeat-stop");
    await vscode.commands.executeCommand("notifications.clearAll");
  });
});
