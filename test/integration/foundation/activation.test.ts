// The foundation's checks, inside a real VS Code: the extension activates cheaply, its commands
// run, and the task panel's script talks to the extension.
import * as assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import type { WebviewMessage } from "../../../webview/protocol";

const extensionId = "infinite-tool-use.infinite-tool-use";

async function activate(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(extensionId);
  assert.ok(extension, `extension ${extensionId} is not installed`);
  return extension.activate();
}

describe("foundation", () => {
  it("is not active before one of its commands or views is used", () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    assert.equal(extension.isActive, false, "activation must be lazy (no '*' or startup activation)");
  });

  it("contributes the product's commands", async () => {
    await activate();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ["startTask", "solveIssue", "reviewSession", "stop", "showLog"]) {
      assert.ok(commands.includes(`infiniteToolUse.${id}`), `missing command infiniteToolUse.${id}`);
    }
  });

  it("activates quickly, loading nothing native, and reports how long it took", async () => {
    const api = await activate();
    assert.ok(api.activationMs >= 0 && api.activationMs < 500, `activation took ${api.activationMs} ms`);
    // The model runtime lives in its own process and tree-sitter loads on first use: neither is in this one.
    // VS Code's own addons (spdlog, the watchdog) are in every extension host: only other ones count.
    const native = Object.keys(require.cache).filter((path) => /node-llama-cpp|web-tree-sitter/.test(path) || (path.endsWith(".node") && !/[/\\]lib[/\\]vscode[/\\]|[/\\]resources[/\\]app[/\\]/.test(path)));
    assert.deepEqual(native, [], "activation loaded native or parser modules");
    console.log(`    activation: ${api.activationMs.toFixed(1)} ms`);
    // `npm run bench -- --only 5` reads the figure from here.
    const benchFile = process.env.ITU_BENCH_ACTIVATION;
    if (benchFile) writeFileSync(benchFile, JSON.stringify({ activationMs: api.activationMs, nativeModules: native.length }));
  });

  it("executes a contributed command, and a failing one reports instead of throwing", async () => {
    await activate();
    await vscode.commands.executeCommand("infiniteToolUse.showLog");
    // This workspace is not a git repository, so a session cannot start: the command's error path
    // logs it and shows a message; the caller gets undefined rather than an exception.
    const started = await vscode.commands.executeCommand("infiniteToolUse.startTask", "rename foo to bar");
    assert.equal(started, undefined);
  });

  it("opens the task panel and receives the message its script posts", async () => {
    const api = await activate();
    const ready = new Promise<WebviewMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the task panel's script posted nothing within 30 s")), 30_000);
      const sub = api.taskPanel.onDidReceiveMessage((m) => {
        if (m.type === "ready") {
          clearTimeout(timer);
          sub.dispose();
          resolve(m);
        }
      });
    });
    await vscode.commands.executeCommand("infiniteToolUse.taskPanel.focus");
    const message = await ready;
    assert.deepEqual(message, { type: "ready", version: 1 });
  });

  it("rejects malformed panel messages at the protocol guard", async () => {
    const { isWebviewMessage } = await import("../../../webview/protocol");
    assert.equal(isWebviewMessage({ type: "command", command: "rm -rf" }), false);
    assert.equal(isWebviewMessage({ type: "startTask" }), false);
    assert.equal(isWebviewMessage({ type: "startTask", task: "x" }), true);
  });
});
