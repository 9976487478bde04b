// The VSIX built by `npm run package`, installed into the offline VS Code, activates and works.
// The launcher installs the VSIX and develops an empty probe extension instead of the source tree.
import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";

describe("packaged VSIX", () => {
  it("is installed from the VSIX, not loaded from the source tree", () => {
    const extension = vscode.extensions.getExtension("infinite-tool-use.infinite-tool-use");
    assert.ok(extension, "the VSIX's extension is not installed");
    const repo = process.env.ITU_REPO_ROOT ?? "";
    assert.ok(!extension.extensionPath.startsWith(repo), `loaded from ${extension.extensionPath}`);
    assert.ok(existsSync(join(extension.extensionPath, "dist/extension.js")));
    assert.ok(!existsSync(join(extension.extensionPath, "extension/main.ts")), "sources must not ship");
  });

  it("activates, and its task panel's script (from the VSIX's bundle) talks to it", async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>("infinite-tool-use.infinite-tool-use");
    assert.ok(extension);
    const api = await extension.activate();
    assert.ok(api.activationMs >= 0);
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the packaged task panel posted nothing within 30 s")), 30_000);
      const sub = api.taskPanel.onDidReceiveMessage((m) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(m.type);
      });
    });
    await vscode.commands.executeCommand("infiniteToolUse.taskPanel.focus");
    assert.equal(await ready, "ready");
  });
});
