// Model downloads through node-llama-cpp's downloader against an HTTP server on 127.0.0.1 serving a
// generated model: hf: URIs and plain URLs, progress, cancellation, size and checksum checks.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { downloadModel, isEngineError, sha256Of } from "../../../native/engine/index";
import { tinyModel } from "./tinyModels";

interface Served {
  body: Buffer;
  /** Bytes per write and pause between writes, to make a download slow enough to cancel. */
  throttle?: { chunk: number; pauseMs: number };
  lie?: { announce: number };
}

function serve(routes: Map<string, Served>, seenRanges: string[]): Promise<{ server: Server; base: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const route = routes.get(new URL(req.url ?? "/", "http://x").pathname);
    if (!route) { res.writeHead(404).end("not found"); return; }
    const total = route.body.length;
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
    if (req.headers.range) seenRanges.push(req.headers.range);
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] ? Number(range[2]) : total - 1;
    const headers = { "content-type": "application/octet-stream", "accept-ranges": "bytes", "content-length": String(route.lie?.announce ?? end - start + 1) };
    if (range) res.writeHead(206, { ...headers, "content-range": `bytes ${start}-${end}/${route.lie?.announce ?? total}` });
    else res.writeHead(200, headers);
    if (req.method === "HEAD") { res.end(); return; }
    const slice = route.body.subarray(start, end + 1);
    if (!route.throttle) { res.end(slice); return; }
    const { chunk, pauseMs } = route.throttle;
    let offset = 0;
    const pump = () => {
      if (res.destroyed) return;
      if (offset >= slice.length) { res.end(); return; }
      res.write(slice.subarray(offset, offset + chunk));
      offset += chunk;
      setTimeout(pump, pauseMs);
    };
    pump();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    resolve({ server, base: `http://127.0.0.1:${address.port}` });
  }));
}

describe("model download from 127.0.0.1", () => {
  const routes = new Map<string, Served>();
  const seenRanges: string[] = [];
  let server: Server;
  let base: string;
  let model: Buffer;
  let scratch: string;

  before(async () => {
    model = await readFile(await tinyModel("mamba2", 21));
    routes.set("/tiny-org/tiny-GGUF/resolve/main/tiny-mamba2.gguf", { body: model });
    routes.set("/files/tiny-mamba2.gguf", { body: model });
    routes.set("/slow/tiny-mamba2.gguf", { body: model, throttle: { chunk: 16 * 1024, pauseMs: 10 } });
    routes.set("/files/notes.gguf", { body: Buffer.from("this is not a model at all".repeat(100)) });
    ({ server, base } = await serve(routes, seenRanges));
    scratch = await mkdtemp(join(tmpdir(), "itu-download-"));
  });
  after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

  it("downloads an hf: URI through the configured endpoint, with progress and checks", async () => {
    const progress: number[] = [];
    const result = await downloadModel({
      uri: "hf:tiny-org/tiny-GGUF/tiny-mamba2.gguf",
      directory: join(scratch, "hf"),
      huggingFaceEndpoint: `${base}/`,
      expectedSize: model.length,
      sha256: await sha256Of(await tinyModel("mamba2", 21)),
      onProgress: ({ downloadedBytes }) => progress.push(downloadedBytes),
    });
    assert.equal(result.bytes, model.length);
    assert.ok((await readFile(result.path)).equals(model));
    assert.equal(progress.at(-1), model.length);
    const again = await downloadModel({ uri: "hf:tiny-org/tiny-GGUF/tiny-mamba2.gguf", directory: join(scratch, "hf"), huggingFaceEndpoint: `${base}/` });
    assert.equal(again.reused, true);
  });

  it("reports a cancelled download, leaves no model file behind, and completes on retry", async () => {
    const directory = join(scratch, "cancel");
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      downloadModel({
        uri: `${base}/slow/tiny-mamba2.gguf`, directory, signal: controller.signal,
        onProgress: ({ downloadedBytes }) => { seen = downloadedBytes; if (downloadedBytes > model.length / 3) controller.abort(); },
      }),
      (e) => isEngineError(e, "CANCELLED"),
    );
    assert.ok(seen > 0 && seen < model.length);
    assert.deepEqual((await readdir(directory)).filter((f) => f.endsWith(".gguf")), [], "no half-written model may look complete");
    routes.get("/slow/tiny-mamba2.gguf")!.throttle = undefined;
    const result = await downloadModel({ uri: `${base}/slow/tiny-mamba2.gguf`, directory });
    assert.ok((await readFile(result.path)).equals(model));
    assert.ok(seenRanges.length > 0, "the downloader should fetch by ranges (what makes resuming possible)");
  });

  it("rejects and deletes a file with the wrong checksum, size or content", async () => {
    const directory = join(scratch, "bad");
    await assert.rejects(
      downloadModel({ uri: `${base}/files/tiny-mamba2.gguf`, directory, sha256: "0".repeat(64) }),
      (e) => isEngineError(e, "LOAD_FAILED") && /SHA-256/.test(e.message),
    );
    await assert.rejects(
      downloadModel({ uri: `${base}/files/tiny-mamba2.gguf`, directory, expectedSize: model.length + 1 }),
      (e) => isEngineError(e, "LOAD_FAILED") && /catalog says/.test(e.message),
    );
    await assert.rejects(downloadModel({ uri: `${base}/files/notes.gguf`, directory }), (e) => isEngineError(e, "LOAD_FAILED") && /not a GGUF/.test(e.message));
    assert.deepEqual((await readdir(directory)).filter((f) => f.endsWith(".gguf")), []);
    await assert.rejects(downloadModel({ uri: `${base}/files/missing.gguf`, directory }), (e) => isEngineError(e) && /missing\.gguf|404|failed|resolve/i.test(e.message));
  });
});
