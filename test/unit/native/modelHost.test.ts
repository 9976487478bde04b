// The model-host process and the extension's client, in plain Node: the real host bundle
// (dist/model-host.mjs) running real llama.cpp, driven over the real IPC protocol.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readFile, truncate, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { HostCrashedError, ModelHostClient, ModelHostError } from "../../../extension/host/model/modelHostClient";
import { REPO_ROOT, tinyModel } from "./tinyModels";

const HOST = join(REPO_ROOT, "dist", "model-host.mjs");
const CALL_GRAMMAR = 'root ::= "edit(" [a-z]{1,8} ")"';
const ENDLESS_GRAMMAR = "root ::= [a-z ] root";

describe("model host over IPC", () => {
  let client: ModelHostClient;
  let scratch: string;
  const logs: string[] = [];

  before(async () => {
    assert.ok(existsSync(HOST), `build first: ${HOST} is missing`);
    scratch = await mkdtemp(join(tmpdir(), "itu-host-"));
    client = new ModelHostClient({ hostPath: HOST, onLog: (level, message) => logs.push(`${level} ${message}`) });
  });
  after(async () => { await client.stop(); });

  it("starts, loads a model with progress, and reports it", async () => {
    const hello = await client.start();
    assert.equal(hello.pid, client.pid);
    const progress: number[] = [];
    const off = client.onLoadProgress(({ fraction }) => progress.push(fraction));
    const info = await client.loadModel({ path: await tinyModel("mamba2"), gpu: false });
    off();
    assert.equal(info.architecture, "mamba2");
    assert.equal(info.kind, "recurrent");
    assert.equal(info.backend, "cpu");
    assert.ok(progress.length > 0 && progress.at(-1) === 1, `progress ${progress.join(",")}`);
    assert.ok(logs.some((l) => /loaded .* on cpu with 1 thread/.test(l)) || info.threads > 1);
  });

  it("appends and generates grammar-constrained calls, streaming the text", async () => {
    const { sessionId } = await client.createSession();
    await client.append({ sessionId, text: "Use tools only.\n" });
    let streamed = "";
    const result = await client.generate({ sessionId, grammar: CALL_GRAMMAR, maxTokens: 30, temperature: 0.7, seed: 3 }, { onText: (t) => { streamed += t; } });
    assert.match(result.text, /^edit\([a-z]{1,8}\)$/);
    assert.equal(streamed, result.text);
    assert.equal(await client.tokenCount(sessionId), result.tokenCount);
  });

  it("answers bad input with a typed error and stays up", async () => {
    const text = join(scratch, "x.txt");
    await writeFile(text, "not a model");
    await assert.rejects(client.loadModel({ path: text, gpu: false }), (e) => e instanceof ModelHostError && e.code === "NOT_GGUF");
    await assert.rejects(client.append({ sessionId: "nope", text: "x" }), (e) => e instanceof ModelHostError && e.code === "BAD_ARGUMENT");
    assert.ok(client.running);
  });

  it("refuses a truncated model with llama.cpp's reason, and stays up", async () => {
    const truncated = join(scratch, "truncated.gguf");
    await copyFile(await tinyModel("rwkv6"), truncated);
    await truncate(truncated, 100_000);
    await assert.rejects(client.loadModel({ path: truncated, gpu: false }), (e) => e instanceof ModelHostError && e.code === "LOAD_FAILED" && /truncated\.gguf/.test(e.message));
    assert.ok(client.running);
  });

  it("downloads a model in the host with progress, then loads it", async () => {
    const body = await readFile(await tinyModel("rwkv6", 4));
    const server = createServer((_req, res) => { res.writeHead(200, { "content-length": String(body.length) }); res.end(body); });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const progress: number[] = [];
      const result = await client.downloadModel(
        { uri: `http://127.0.0.1:${port}/models/tiny-rwkv6.gguf`, directory: join(scratch, "downloads"), expectedSize: body.length },
        { onProgress: (done) => progress.push(done) },
      );
      assert.equal(result.bytes, body.length);
      assert.equal(progress.at(-1), body.length);
      const info = await client.loadModel({ path: result.path, gpu: false });
      assert.equal(info.architecture, "rwkv6");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("cancels a generation through JSON-RPC cancellation within 200 ms", async () => {
    await client.loadModel({ path: await tinyModel("rwkv7"), gpu: false });
    const { sessionId } = await client.createSession();
    await client.append({ sessionId, text: "go" });
    const controller = new AbortController();
    let abortedAt = 0;
    let chunks = 0;
    const result = await client.generate({ sessionId, grammar: ENDLESS_GRAMMAR, maxTokens: 1_000_000, temperature: 1 }, {
      signal: controller.signal,
      onText: () => { if (++chunks === 30) { abortedAt = performance.now(); controller.abort(); } },
    }).catch((error: unknown) => error);
    const latency = performance.now() - abortedAt;
    assert.ok(abortedAt > 0);
    // vscode-jsonrpc may settle a cancelled request with its own cancellation error or our result.
    if (!(result instanceof Error)) assert.equal((result as { stopReason: string }).stopReason, "cancelled");
    assert.ok(latency < 200, `latency ${latency.toFixed(1)} ms`);
  });

  it("asks the client for a digest when a transformer's window fills", async () => {
    await client.loadModel({ path: await tinyModel("llama"), gpu: false });
    const events: number[] = [];
    const { sessionId } = await client.createSession({ contextSize: 256 }, (event) => { events.push(event.tokenCount); return "GOAL: test\n"; });
    await client.append({ sessionId, text: "a".repeat(200) });
    const result = await client.append({ sessionId, text: "b".repeat(100) });
    assert.deepEqual(events, [200]);
    assert.equal(result.reprimed?.droppedTokens, 200);
    assert.equal(result.tokenCount, (result.reprimed?.digestTokens ?? 0) + 100);
  });

  it("reports a SIGKILL mid-generation with the host's last log lines, and restarts", async () => {
    await client.loadModel({ path: await tinyModel("mamba2"), gpu: false });
    const { sessionId } = await client.createSession();
    await client.append({ sessionId, text: "go" });
    const exits: string[] = [];
    const off = client.onExit((exit) => exits.push(exit.description));
    let chunks = 0;
    const pid = client.pid!;
    const error = await client.generate({ sessionId, grammar: ENDLESS_GRAMMAR, maxTokens: 1_000_000, temperature: 1 }, {
      onText: () => { if (++chunks === 20) process.kill(pid, "SIGKILL"); },
    }).catch((e: unknown) => e);
    off();
    assert.ok(error instanceof HostCrashedError, `got ${String(error)}`);
    assert.match(error.message, /killed \(SIGKILL/);
    assert.equal(error.exit.expected, false);
    assert.ok(error.exit.stderrTail.some((line) => /model host \d+ ready|loaded/.test(line)), error.exit.stderrTail.join("\n"));
    assert.equal(exits.length, 1);
    assert.equal(client.running, false);
    await assert.rejects(client.tokenCount(sessionId), (e) => e instanceof ModelHostError && e.code === "NOT_RUNNING" && /SIGKILL/.test(e.message));

    const hello = await client.start();
    assert.notEqual(hello.pid, pid);
    await client.loadModel({ path: await tinyModel("mamba2"), gpu: false });
    const again = await client.createSession();
    await client.append({ sessionId: again.sessionId, text: "go" });
    const result = await client.generate({ sessionId: again.sessionId, grammar: CALL_GRAMMAR, maxTokens: 30 });
    assert.match(result.text, /^edit\(/);
  });

  it("stops on request without reporting a crash", async () => {
    const exits: boolean[] = [];
    const off = client.onExit((exit) => exits.push(exit.expected));
    await client.stop();
    off();
    assert.deepEqual(exits, [true]);
  });
});
