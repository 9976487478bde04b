// Pick Model downloads a catalog model the way a user meets it: the quick pick, a progress
// notification whose Cancel button is clicked mid-download, a message saying it will resume, and a
// second pick that resumes from the saved part (no Range request re-fetches it), verifies the file
// and loads it. The catalog's hf: URI is served by a local "mirror" (infiniteToolUse.model.downloadEndpoint)
// holding a generated model: no other network exists here.
import * as assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { writeTinyModel } from "../../models/tinyModel";
import { click, pressKey, screenshot, textOf, typeText } from "../support/browser";
import { activate, until } from "../support/vscode";

const CATALOG_PATH = "/LiquidAI/LFM2-350M-GGUF/resolve/main/LFM2-350M-Q4_K_M.gguf";
// node-llama-cpp's downloader (ipull) saves its progress per chunk of this size.
const CHUNK = 5 * 1024 * 1024;

interface Mirror {
  server: Server;
  base: string;
  ranges: string[];
  /** Set once the first chunk has been written out in full. */
  firstChunkSent: boolean;
  slow: boolean;
}

/** Serves the model with Range support; while `slow`, bytes past the first chunk trickle out. */
function startMirror(body: Buffer): Promise<Mirror> {
  const mirror = { ranges: [] as string[], firstChunkSent: false, slow: true } as Mirror;
  mirror.server = createServer((req, res) => {
    if (new URL(req.url ?? "/", "http://x").pathname !== CATALOG_PATH) { res.writeHead(404).end(); return; }
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
    if (req.headers.range) mirror.ranges.push(req.headers.range);
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Number(range[2]) : body.length - 1;
    const headers = { "content-type": "application/octet-stream", "accept-ranges": "bytes", "content-length": String(end - start + 1) };
    res.writeHead(range ? 206 : 200, range ? { ...headers, "content-range": `bytes ${start}-${end}/${body.length}` } : headers);
    if (req.method === "HEAD") { res.end(); return; }
    let offset = start;
    const pump = () => {
      if (res.destroyed) return;
      if (offset > end) { res.end(); return; }
      const fast = !mirror.slow || offset < CHUNK;
      const next = fast ? Math.min(end + 1, mirror.slow ? CHUNK : end + 1) : Math.min(end + 1, offset + 16 * 1024);
      res.write(body.subarray(offset, next), () => { if (next >= CHUNK && start === 0) mirror.firstChunkSent = true; });
      offset = next;
      setTimeout(pump, fast ? 0 : 50);
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

/** Runs Pick Model and chooses the LFM2 350M catalog entry in the quick pick, as a user would. */
// Returns the command's result wrapped: an async function would otherwise wait for the whole pick.
async function pickCatalogModel(): Promise<{ picked: Thenable<unknown> }> {
  const picked = vscode.commands.executeCommand("infiniteToolUse.pickModel");
  await until("the model quick pick", async () => (await textOf(".quick-input-widget")).includes("LFM2 350M"), 30_000, 100);
  await typeText("LFM2 350M");
  await pressKey("Enter");
  return { picked };
}

describe("Pick Model: download, cancel, resume", function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let model: Buffer;
  let mirror: Mirror;
  const config = () => vscode.workspace.getConfiguration("infiniteToolUse.model");

  before(async () => {
    api = await activate();
    const runDir = process.env.ITU_RUN_DIR;
    assert.ok(runDir, "ITU_RUN_DIR is not set");
    const modelPath = join(runDir, "mirror-model.gguf");
    // Several of the downloader's chunks, so that there is something to resume.
    await writeTinyModel({ arch: "mamba2", seed: 24, path: modelPath, dModel: 512, layers: 4 });
    model = await readFile(modelPath);
    assert.ok(model.length > 3 * CHUNK, `the model must span several chunks (${model.length} bytes)`);
    mirror = await startMirror(model);
    await config().update("downloadEndpoint", mirror.base, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update("downloadEndpoint", undefined, vscode.ConfigurationTarget.Global);
    await config().update("path", undefined, vscode.ConfigurationTarget.Global);
    mirror?.server.closeAllConnections();
    mirror?.server.close();
  });

  it("cancelling the progress notification stops the download and says it will resume", async () => {
    const { picked } = await pickCatalogModel();
    await until("the first chunk to be served", () => mirror.firstChunkSent, 30_000, 100);
    // A moment for the downloader to record the finished chunk next to the partial file.
    await new Promise((r) => setTimeout(r, 1500));
    await until("the progress notification", async () => /Downloading LFM2 350M/.test(await textOf(".notifications-toasts")), 30_000, 100);
    await screenshot("model-download-progress");
    await click(".notifications-toasts .monaco-button", "Cancel");
    assert.equal(await picked, undefined, "a cancelled pick chooses no model");
    await until("the resume message", async () => /cancelled\. Pick it again to resume/.test(await textOf(".notifications-toasts")), 30_000, 100);
    assert.equal(config().get("path"), "", "a cancelled download must not become the model");
  });

  it("picking it again resumes from the saved chunk, verifies the file and loads it", async () => {
    const rangesBefore = mirror.ranges.length;
    mirror.slow = false;
    const path = await (await pickCatalogModel()).picked;
    assert.equal(typeof path, "string", `the pick should return the model path, got ${String(path)}`);
    assert.ok((await readFile(path as string)).equals(model), "the resumed file must be byte-identical to the served model");
    const retry = mirror.ranges.slice(rangesBefore);
    assert.ok(retry.length > 0, "the retry must fetch by ranges");
    const starts = retry.map((range) => Number(/^bytes=(\d+)-/.exec(range)?.[1] ?? -1));
    assert.ok(starts.every((from) => from >= CHUNK), `the retry re-fetched the saved first chunk: ${retry.join(", ")}`);
    assert.equal(config().get("path"), path);
    const info = await api.model.client.modelInfo();
    assert.equal(info?.architecture, "mamba2");
  });
});
