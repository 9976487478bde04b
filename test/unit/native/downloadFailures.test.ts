// What a download meets on a bad day, against real sockets and a real small file system: no
// connection (a closed port, a name that does not resolve), a mirror answering 404 or 500, and a
// disk that fills mid-download (a tmpfs; needs root; through the real model host, whose process the
// downloader's unawaited writes would otherwise end). Each fails within seconds with its own code,
// and no file that could be loaded as a model is left behind.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { downloadModel, isEngineError } from "../../../native/engine/index";
import { firstRequestUrl } from "../../../native/engine/downloadPreflight";
import { ModelHostClient, ModelHostError } from "../../../extension/host/model/modelHostClient";
import { REPO_ROOT } from "./tinyModels";

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    resolve(`http://127.0.0.1:${address.port}/`);
  }));
}

async function closedPort(): Promise<string> {
  const server = createServer();
  const base = await listen(server);
  await new Promise((r) => server.close(r));
  return base;
}

describe("model download failures", () => {
  let scratch: string;
  let server: Server;
  let base: string;
  const big = Buffer.alloc(24 * 1024 * 1024, 7);
  big.write("GGUF", 0);

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "itu-download-failures-"));
    server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path.startsWith("/broken/")) { res.writeHead(500).end("internal error"); return; }
      if (path !== "/files/big.gguf") { res.writeHead(404).end("not found"); return; }
      const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Number(range[2]) : big.length - 1;
      const headers = { "content-type": "application/octet-stream", "accept-ranges": "bytes", "content-length": String(end - start + 1) };
      res.writeHead(range ? 206 : 200, range ? { ...headers, "content-range": `bytes ${start}-${end}/${big.length}` } : headers);
      if (req.method === "HEAD") { res.end(); return; }
      let offset = start;
      const pump = () => {
        if (res.destroyed) return;
        if (offset > end) { res.end(); return; }
        const next = Math.min(end + 1, offset + 256 * 1024);
        res.write(big.subarray(offset, next));
        offset = next;
        setTimeout(pump, 5);
      };
      pump();
    });
    base = await listen(server);
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("knows the first URL node-llama-cpp fetches for each kind of URI", () => {
    assert.deepEqual(firstRequestUrl("hf:org/repo/sub/model.gguf", "http://m/"), { url: "http://m/org/repo/resolve/main/sub/model.gguf", method: "HEAD" });
    assert.deepEqual(firstRequestUrl("hf:org/repo:Q4_K_M", "http://m"), { url: "http://m/v2/org/repo/manifests/Q4_K_M", method: "GET" });
    assert.equal(firstRequestUrl("hf:org/repo/model.gguf").url, "https://huggingface.co/org/repo/resolve/main/model.gguf");
    assert.equal(firstRequestUrl("https://example.invalid/m.gguf").url, "https://example.invalid/m.gguf");
  });

  it("says there is no connection when the host refuses it or its name does not resolve, within seconds", async () => {
    for (const endpoint of [await closedPort(), "http://hf-mirror.invalid/"]) {
      const started = Date.now();
      const directory = join(scratch, "offline");
      await assert.rejects(
        downloadModel({ uri: "hf:org/repo/model.gguf", directory, huggingFaceEndpoint: endpoint }),
        (e) => isEngineError(e, "NETWORK") && /^No connection to the download host (127\.0\.0\.1:\d+|hf-mirror\.invalid) \((it refused the connection|its name does not resolve)\)$/.test(e.message),
      );
      assert.ok(Date.now() - started < 30_000, `it took ${Date.now() - started} ms`);
    }
  });

  it("names the HTTP status when a mirror answers 404 or 500, without retrying for minutes", async () => {
    const directory = join(scratch, "status");
    await assert.rejects(
      downloadModel({ uri: "hf:org/repo/missing.gguf", directory, huggingFaceEndpoint: base }),
      (e) => isEngineError(e, "HTTP_STATUS") && e.details?.status === 404 && /has no such file \(HTTP 404/.test(e.message),
    );
    const started = Date.now();
    await assert.rejects(
      downloadModel({ uri: `${base}broken/model.gguf`, directory }),
      (e) => isEngineError(e, "HTTP_STATUS") && e.details?.status === 500 && /had a server error \(HTTP 500/.test(e.message),
    );
    assert.ok(Date.now() - started < 30_000, `it took ${Date.now() - started} ms`);
  });

  it("refuses at once when the file cannot fit, and deletes the partial file when the disk fills mid-download", async (t) => {
    if (process.getuid?.() !== 0) {
      if (process.env.CI === "true") assert.fail("the disk-full test mounts a tmpfs and needs root");
      t.skip("mounting a tmpfs needs root");
      return;
    }
    const mount = join(scratch, "small-disk");
    mkdirSync(mount);
    const host = new ModelHostClient({ hostPath: join(REPO_ROOT, "dist", "model-host.mjs"), onLog: () => {} });
    t.after(() => host.stop());
    await host.start();
    const diskFull = (pattern: RegExp) => (e: unknown) => e instanceof ModelHostError && e.code === "DISK_FULL" && pattern.test(e.message);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mount]);
    try {
      await assert.rejects(
        host.downloadModel({ uri: `${base}files/big.gguf`, directory: mount }),
        diskFull(/Not enough disk space in .*small-disk for the model \(it needs 26 MB, 9 MB are free\)$/),
      );
      assert.deepEqual(readdirSync(mount), []);
    } finally {
      execFileSync("umount", [mount]);
    }
    // Room at the start; another program fills the disk once the download is under way.
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=32m", "tmpfs", mount]);
    try {
      const directory = join(mount, "models");
      let filled = false;
      const fillDisk = ({ downloadedBytes }: { downloadedBytes: number }) => {
        if (filled || downloadedBytes < 1024 * 1024) return;
        filled = true;
        try {
          writeFileSync(join(mount, "filler"), Buffer.alloc(30 * 1024 * 1024));
        } catch {
          // ENOSPC once the tmpfs is full: exactly what we want.
        }
      };
      await assert.rejects(
        host.downloadModel({ uri: `${base}files/big.gguf`, directory }, { onProgress: (downloadedBytes) => fillDisk({ downloadedBytes }) }),
        diskFull(/the partial file was deleted$/),
      );
      assert.deepEqual(readdirSync(directory), [], "nothing half-written may stay behind to be loaded");
      assert.ok(host.running, "the model host lives on after the disk filled");
    } finally {
      execFileSync("umount", [mount]);
    }
  });
});
