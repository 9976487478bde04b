// Model downloads through node-llama-cpp's downloader against an HTTP server on 127.0.0.1 serving a
// generated model: hf: URIs and plain URLs, progress, cancellation and resume, size and checksum checks.
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
  throttle?: { chunk: number; pauseMs: number; fastBelow?: number };
  lie?: { announce: number };
}

// ipull's unit of resumption: the progress it saves marks whole chunks of this size.
const RESUME_CHUNK = 5 * 1024 * 1024;

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
    const { chunk, pauseMs, fastBelow = 0 } = route.throttle;
    let offset = 0;
    const pump = () => {
      if (res.destroyed) return;
      if (offset >= slice.length) { res.end(); return; }
      // Bytes below fastBelow (file offsets) go out in one write; the rest a chunk per pause.
      const size = start + offset < fastBelow ? fastBelow - start - offset : chunk;
      const piece = slice.subarray(offset, offset + size);
      res.write(piece);
      offset += size;
      setTimeout(pump, start + offset < fastBelow ? 0 : pauseMs);
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

  it("resumes a cancelled download from its last saved chunk, with a Range request, and verifies the result", async () => {
    // ipull saves progress per 5 MiB chunk, so resuming needs a model of several chunks.
    const bigPath = await tinyModel("mamba2", 24, { dModel: 512, layers: 4 });
    const big = await readFile(bigPath);
    assert.ok(big.length > 3 * RESUME_CHUNK, `the model must span several chunks (${big.length} bytes)`);
    // The first chunk arrives at once, the rest slowly: the cancel lands after one chunk is saved.
    routes.set("/resume/tiny-mamba2-big.gguf", { body: big, throttle: { chunk: 16 * 1024, pauseMs: 20, fastBelow: RESUME_CHUNK } });
    const directory = join(scratch, "resume");
    const uri = `${base}/resume/tiny-mamba2-big.gguf`;
    const controller = new AbortController();
    let cancelledAt = 0;
    await assert.rejects(
      downloadModel({
        uri, directory, signal: controller.signal,
        onProgress: ({ downloadedBytes }) => {
          if (cancelledAt || downloadedBytes < RESUME_CHUNK + 256 * 1024) return;
          cancelledAt = downloadedBytes;
          // A moment for ipull to write the saved chunk's progress after the partial file.
          setTimeout(() => controller.abort(), 300);
        },
      }),
      (e) => isEngineError(e, "CANCELLED"),
    );
    assert.ok(cancelledAt > 0 && cancelledAt < big.length, `cancelled at ${cancelledAt} of ${big.length}`);
    const left = await readdir(directory);
    assert.deepEqual(left.filter((f) => f.endsWith(".gguf")), [], "no half-written model may look complete");
    assert.ok(left.some((f) => f.endsWith(".gguf.ipull")), `the partial file stays for the retry: ${left.join(", ")}`);

    const rangesBefore = seenRanges.length;
    routes.get("/resume/tiny-mamba2-big.gguf")!.throttle = undefined;
    const result = await downloadModel({ uri, directory, expectedSize: big.length, sha256: await sha256Of(bigPath) });
    const retryRanges = seenRanges.slice(rangesBefore);
    assert.ok((await readFile(result.path)).equals(big), "the resumed file must be byte-identical");
    assert.equal(result.reused, false);
    assert.ok(retryRanges.length > 0, "the retry must fetch by ranges");
    // Ranges may overlap (ipull lets idle streams steal work), but none re-fetches the saved chunk.
    const starts = retryRanges.map((range) => Number(/^bytes=(\d+)-/.exec(range)?.[1] ?? -1));
    assert.ok(starts.every((from) => from >= RESUME_CHUNK), `the retry re-fetched the saved first chunk: ${retryRanges.join(", ")}`);
    assert.deepEqual((await readdir(directory)).sort(), ["tiny-mamba2-big.gguf"]);
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
