// Pick Model on a bad day, in a real VS Code, as a user meets it: no connection to the download host,
// a mirror answering 404, and a disk that fills mid-download (a small tmpfs mounted over the model
// folder; needs root). Each says what happened in one sentence and offers what works (Retry, the
// download-mirror setting, a local GGUF file); nothing half-written becomes the model. Retry after
// fixing the mirror downloads and loads the model.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { writeTinyModel } from "../../models/tinyModel";
import { click, fillInput, inputValue, pressKey, screenshot, textOf, typeText } from "../support/browser";
import { activate, until } from "../support/vscode";

const CATALOG_PATH = "/LiquidAI/LFM2-350M-GGUF/resolve/main/LFM2-350M-Q4_K_M.gguf";

interface Mirror {
  server: Server;
  base: string;
  /** This status for everything while set (404, 500). */
  failWith: number | undefined;
  /** Called with the bytes sent so far, after each write. */
  onSent: (sent: number) => void;
}

function startMirror(body: Buffer): Promise<Mirror> {
  const mirror = { failWith: undefined, onSent: () => {} } as unknown as Mirror;
  mirror.server = createServer((req, res) => {
    if (mirror.failWith) { res.writeHead(mirror.failWith).end(); return; }
    if (new URL(req.url ?? "/", "http://x").pathname !== CATALOG_PATH) { res.writeHead(404).end(); return; }
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Number(range[2]) : body.length - 1;
    const headers = { "content-type": "application/octet-stream", "accept-ranges": "bytes", "content-length": String(end - start + 1) };
    res.writeHead(range ? 206 : 200, range ? { ...headers, "content-range": `bytes ${start}-${end}/${body.length}` } : headers);
    if (req.method === "HEAD") { res.end(); return; }
    let offset = start;
    const pump = () => {
      if (res.destroyed) return;
      if (offset > end) { res.end(); return; }
      const next = Math.min(end + 1, offset + 128 * 1024);
      res.write(body.subarray(offset, next));
      offset = next;
      mirror.onSent(offset);
      setTimeout(pump, 10);
    };
    pump();
  });
  return new Promise((resolve) => mirror.server.listen(0, "127.0.0.1", () => {
    const address = mirror.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    mirror.base = `http://127.0.0.1:${address.port}/`;
    resolve(mirror);
  }));
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  await new Promise((r) => server.close(r));
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}/`;
}

async function pickCatalogModel(): Promise<{ picked: Thenable<unknown> }> {
  const picked = vscode.commands.executeCommand("infiniteToolUse.pickModel");
  await until("the model quick pick", async () => (await textOf(".quick-input-widget")).includes("LFM2 350M"), 30_000, 100);
  await typeText("LFM2 350M");
  await pressKey("Enter");
  return { picked };
}

async function toastMatching(pattern: RegExp): Promise<string> {
  let seen = "";
  const text = await until(() => `a notification matching ${pattern} (saw: ${seen})`, async () => {
    seen = await textOf(".notifications-toasts");
    return pattern.test(seen) && seen;
  }, 60_000, 100);
  // Toasts slide in and the progress notification slides out: let them settle for the screenshot.
  await new Promise((r) => setTimeout(r, 800));
  return text;
}

const config = () => vscode.workspace.getConfiguration("infiniteToolUse.model");

describe("Pick Model without a network, with a broken mirror, on a full disk", function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let model: Buffer;
  let mirror: Mirror;
  let modelsDir = "";

  before(async () => {
    api = await activate();
    const modelPath = join(process.env.ITU_RUN_DIR ?? "", "mirror-model.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 31, path: modelPath, dModel: 256, layers: 2 });
    model = await readFile(modelPath);
    mirror = await startMirror(model);
    await config().update("path", undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand("notifications.clearAll");
  });

  after(async () => {
    await config().update("downloadEndpoint", undefined, vscode.ConfigurationTarget.Global);
    await config().update("path", undefined, vscode.ConfigurationTarget.Global);
    mirror?.server.closeAllConnections();
    mirror?.server.close();
  });

  it("offline: says there is no connection to the download host and offers the mirror setting, a local file and Retry", async () => {
    const offline = await closedPortUrl();
    await config().update("downloadEndpoint", offline, vscode.ConfigurationTarget.Global);
    const { picked } = await pickCatalogModel();
    const host = new URL(offline).host.replace(/\./g, "\\.");
    const toast = await toastMatching(new RegExp(`Cannot download LFM2 350M: no connection to the download host ${host} \\(it refused the connection\\)\\.`));
    assert.doesNotMatch(toast, /fetch failed|TypeError|pickModel failed/);
    for (const action of ["Retry", "Set Download Mirror…", "Choose GGUF File…"]) assert.ok(toast.includes(action), `the notification offers ${action}: ${toast}`);
    await screenshot("first-run-pick-model-offline");
    // The user sets a working mirror, then presses Retry: the download completes and the model loads.
    await config().update("downloadEndpoint", mirror.base, vscode.ConfigurationTarget.Global);
    await click(".notifications-toasts .monaco-button", "Retry");
    const path = await picked;
    assert.equal(typeof path, "string", `Retry should end in a model, got ${String(path)}`);
    assert.ok((await readFile(path as string)).equals(model));
    assert.equal(config().get("path"), path);
    assert.equal((await api.model.client.modelInfo())?.architecture, "mamba2");
    modelsDir = dirname(path as string);
  });

  it("a mirror answering 404: names the host and the status, and changes no setting", async () => {
    await config().update("path", undefined, vscode.ConfigurationTarget.Global);
    await config().update("downloadEndpoint", mirror.base, vscode.ConfigurationTarget.Global);
    mirror.failWith = 404;
    try {
      const { picked } = await pickCatalogModel();
      const toast = await toastMatching(/Cannot download LFM2 350M: the download host 127\.0\.0\.1:\d+ has no such file \(HTTP 404 Not Found\) for http:\/\/127\.0\.0\.1:\d+\/LiquidAI\/LFM2-350M-GGUF\/resolve\/main\/LFM2-350M-Q4_K_M\.gguf\./);
      assert.ok(toast.includes("Set Download Mirror…"));
      await screenshot("first-run-pick-model-404");
      await click(".notifications-toasts .monaco-button", "Set Download Mirror…");
      assert.equal(await picked, undefined);
      assert.equal(config().get("path"), "", "a failed download must not become the model");
      await until("the settings editor on the mirror setting", async () => /Download Endpoint/.test(await textOf(".settings-editor")), 30_000, 200);
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    } finally {
      mirror.failWith = undefined;
    }
  });

  it("a mirror answering 500: says so at once, and Choose GGUF File… takes a local model instead", async () => {
    await config().update("path", undefined, vscode.ConfigurationTarget.Global);
    await config().update("downloadEndpoint", mirror.base, vscode.ConfigurationTarget.Global);
    mirror.failWith = 500;
    const local = join(process.env.ITU_RUN_DIR ?? "", "local-model.gguf");
    await writeTinyModel({ arch: "rwkv7", seed: 5, path: local });
    try {
      const { picked } = await pickCatalogModel();
      await toastMatching(/Cannot download LFM2 350M: the download host 127\.0\.0\.1:\d+ had a server error \(HTTP 500 Internal Server Error\)/);
      await click(".notifications-toasts .monaco-button", "Choose GGUF File…");
      // code-server's own file dialog: a quick input holding a path.
      await until("the file dialog", async () => (await textOf(".quick-input-widget")).trim().length > 0, 30_000, 100);
      // The dialog fills in its starting folder a moment after it shows, and under load that can land
      // after the path was typed: set the whole path at once and set it again until it stays.
      const pathInput = ".quick-input-widget .quick-input-box input";
      let shown = "";
      await until(() => `the dialog to hold the local path (it holds ${JSON.stringify(shown)})`, async () => {
        shown = await inputValue(pathInput);
        if (shown === local && (await textOf(".quick-input-widget")).includes("local-model.gguf")) return true;
        await fillInput(pathInput, local);
        return false;
      }, 30_000, 500);
      await pressKey("Enter");
      assert.equal(await picked, local);
      assert.equal(config().get("path"), local);
      assert.equal((await api.model.client.modelInfo())?.architecture, "rwkv7");
    } finally {
      mirror.failWith = undefined;
    }
  });

  it("a disk that fills mid-download: says so, deletes the partial file and loads nothing", async function () {
    if (process.getuid?.() !== 0) {
      if (process.env.CI === "true") assert.fail("the disk-full test mounts a tmpfs and needs root");
      this.skip();
    }
    assert.ok(modelsDir, "the offline test found the model folder");
    await config().update("path", undefined, vscode.ConfigurationTarget.Global);
    mkdirSync(modelsDir, { recursive: true });
    // A small disk over the model folder (hiding the file downloaded before), with room at the start.
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${model.length + 2 * 1024 * 1024}`, "tmpfs", modelsDir]);
    try {
      let filled = false;
      mirror.onSent = (sent) => {
        if (filled || sent < model.length / 3) return;
        filled = true;
        try {
          writeFileSync(join(modelsDir, "another-program.bin"), Buffer.alloc(model.length + 2 * 1024 * 1024));
        } catch {
          // ENOSPC: the disk is full, as intended.
        }
      };
      const { picked } = await pickCatalogModel();
      const toast = await toastMatching(/Cannot download LFM2 350M: not enough disk space in .+ for the model; the partial file was deleted\./);
      assert.ok(toast.includes("Retry") && toast.includes("Choose GGUF File…"));
      assert.ok(!toast.includes("Set Download Mirror…"), "a mirror cannot help a full disk");
      await screenshot("first-run-pick-model-disk-full");
      await vscode.commands.executeCommand("notifications.clearAll");
      assert.equal(await picked, undefined);
      assert.ok(filled, "the disk was filled during the download");
      assert.deepEqual(readdirSync(modelsDir).filter((f) => f !== "another-program.bin"), [], "nothing half-written may stay behind");
      assert.equal(config().get("path"), "");
      assert.equal(api.model.client.running, true, "the model host lives on");
    } finally {
      mirror.onSent = () => {};
      execFileSync("umount", ["-l", modelsDir]);
    }
    assert.ok(existsSync(modelsDir));
  });
});
