// The server engine against a real llama-server (same llama.cpp as node-llama-cpp) with tiny
// generated models: grammar-valid turns, prefix reuse, snapshots through slot files, the same
// greedy text as the in-process engine, and each bad input refused in one sentence.
import assert from "node:assert/strict";
import { copyFile, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LlamaServerError, ServerEngine } from "../../../extension/core/engine/index";
import { loadModel } from "../../../native/engine/index";
import { closedPort, llamaServerMissing, startLlamaServer, type RunningLlamaServer } from "../../harness/llamaServerProcess";
import { CALL_GRAMMAR } from "../native/engineChecks";
import { REPO_ROOT, tinyModel } from "../native/tinyModels";

const missing = llamaServerMissing(REPO_ROOT);
if (missing) console.log(`# skipped: ${missing}`);
const CALL = /^call\([a-z][a-z_]{0,11}, [0-9]{1,3}\)$/;

async function refusal(promise: Promise<unknown>, code: string): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof LlamaServerError, `expected a LlamaServerError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error.message;
}

describe("server engine", { skip: missing }, () => {
  let server: RunningLlamaServer;
  let engine: ServerEngine;
  let scratch: string;
  let modelPath: string;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "itu-server-"));
    modelPath = await tinyModel("mamba2");
    server = await startLlamaServer(REPO_ROOT, { model: modelPath, slots: 4 });
    engine = await ServerEngine.connect(server.url);
  });
  after(async () => { await server?.kill(); });

  it("names the server and its model", () => {
    assert.equal(engine.props.totalSlots, 4);
    assert.equal(engine.model.name, "test-mamba2-s1.gguf");
    assert.ok(engine.model.parameterCount > 100_000);
    assert.equal(engine.describe(), `llama-server at ${server.url} (model test-mamba2-s1.gguf)`);
  });

  it("generates only sentences of the grammar over many turns, and evaluates only what each turn appended", async () => {
    const stream = await engine.openStream();
    try {
      await stream.append("You may only call tools.\n");
      for (let turn = 0; turn < 12; turn++) {
        const before = stream.tokenCount;
        const result = await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0.8, seed: turn });
        assert.match(result.text, CALL);
        assert.equal(result.stopReason, "end");
        assert.equal(stream.tokenCount, before + result.tokens.length);
        const cost = stream.lastTurn!;
        // The slot held the stream up to the previous turn (less its last, unevaluated token): the
        // server evaluates the appended tokens and that one, never the history.
        if (turn > 0) {
          assert.ok(cost.evaluated <= cost.newTokens + 1, `turn ${turn}: evaluated ${cost.evaluated} of ${cost.newTokens} new tokens`);
          assert.ok(cost.cached >= before - cost.newTokens - 1, `turn ${turn}: cached ${cost.cached} of ${before}`);
        }
        await stream.append(`\nobservation ${turn}: ok\n`);
      }
    } finally {
      await stream.dispose();
    }
  });

  it("gives the in-process engine's greedy text for the same stream", async () => {
    const text = "You may only call tools.\nThe task: read the file.\n";
    const stream = await engine.openStream();
    const local = await loadModel({ path: modelPath, gpu: false, threads: 1 });
    try {
      const session = await local.createSession();
      for (const piece of [text, "\nobservation: ok\n"]) {
        await stream.append(piece);
        await session.append(piece);
        const remote = await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
        const inProcess = await session.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
        assert.deepEqual([...remote.tokens], [...inProcess.tokens]);
        assert.equal(remote.text, inProcess.text);
      }
      assert.deepEqual(stream.streamTokens(), session.tokens());
    } finally {
      await stream.dispose();
      await local.dispose();
    }
  });

  it("restores a snapshot through the slot file: the next turn is the same as after the save", async () => {
    const stream = await engine.openStream();
    try {
      await stream.append("You may only call tools.\n");
      await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      await stream.append("\nobservation: ok\n");
      const file = join(scratch, "step-1.state");
      await stream.saveState(file);
      assert.deepEqual((await readdir(scratch)).filter((f) => f.includes(".partial-")), [], "written under its own name, then renamed into place");
      const first = await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0.9, seed: 7 });
      await stream.append("\nsomething else entirely\n");
      await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0.9, seed: 8 });
      await stream.loadState(file);
      const again = await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0.9, seed: 7 });
      assert.equal(again.text, first.text);
      assert.deepEqual([...again.tokens], [...first.tokens]);
      // The slot file made the history cached: only the appended observation (and the token before it) was evaluated.
      assert.ok(stream.lastTurn!.evaluated <= stream.lastTurn!.newTokens + 1, JSON.stringify(stream.lastTurn));
    } finally {
      await stream.dispose();
    }
  });

  it("gives each save its own slot file, so a snapshot set aside keeps its state when the path is saved again", async () => {
    const stream = await engine.openStream();
    try {
      await stream.append("You may only call tools.\n");
      // The slot holds what was sent with the last turn: save after one.
      await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      const file = join(scratch, "step-2.state");
      await stream.saveState(file);
      const setAside = join(scratch, "step-2.rewound.state");
      await copyFile(file, setAside);
      const firstCount = stream.tokenCount;
      await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      await stream.saveState(file);
      const [a, b] = [JSON.parse(await readFile(setAside, "utf8")).slotFile, JSON.parse(await readFile(file, "utf8")).slotFile];
      assert.notEqual(a, b);
      await stream.loadState(setAside);
      assert.equal(stream.tokenCount, firstCount);
      // Restored from its own slot file: only the appended text (and the token before it) is evaluated.
      await stream.append("\nobservation: ok\n");
      await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      assert.ok(stream.lastTurn!.evaluated <= stream.lastTurn!.newTokens + 1 && stream.lastTurn!.cached > 0, JSON.stringify(stream.lastTurn));
    } finally {
      await stream.dispose();
    }
  });

  it("restores from the tokens alone when the server lost the slot file", async () => {
    const stream = await engine.openStream();
    try {
      await stream.append("You may only call tools.\n");
      const file = join(scratch, "lost.state");
      await stream.saveState(file);
      const first = await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      const snapshot = JSON.parse(await import("node:fs/promises").then((fs) => fs.readFile(file, "utf8"))) as { slotFile: string };
      await import("node:fs/promises").then((fs) => fs.rm(join(server.slotDir, snapshot.slotFile)));
      await stream.loadState(file);
      const again = await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      assert.equal(again.text, first.text);
    } finally {
      await stream.dispose();
    }
  });

  it("refuses another model's snapshot and keeps the stream as it was", async () => {
    const stream = await engine.openStream();
    try {
      await stream.append("You may only call tools.\n");
      const file = join(scratch, "other.state");
      await stream.saveState(file);
      const saved = JSON.parse(await import("node:fs/promises").then((fs) => fs.readFile(file, "utf8"))) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...saved, model: { name: "granite-4.0-h-tiny.gguf", parameterCount: 7e9, fileSize: 1, vocabularySize: 100352 } }));
      await stream.append("more");
      const before = stream.streamTokens();
      const message = await refusal(stream.loadState(file), "STATE_MISMATCH");
      assert.match(message, /another model \(granite-4\.0-h-tiny\.gguf.*the server runs test-mamba2-s1\.gguf/);
      assert.deepEqual(stream.streamTokens(), before);
      await writeFile(file, "not json");
      await refusal(stream.loadState(file), "BAD_ANSWER");
      assert.deepEqual(stream.streamTokens(), before);
    } finally {
      await stream.dispose();
    }
  });

  it("holds one slot per session, and says so when all are taken", async () => {
    const streams = await Promise.all([0, 1, 2, 3].map(() => engine.openStream()));
    assert.deepEqual(streams.map((s) => s.slot).sort(), [0, 1, 2, 3]);
    assert.match(await refusal(engine.openStream(), "NO_SLOTS"), /All 4 slots of the server at .* are in use/);
    const onSlot2 = streams.find((s) => s.slot === 2)!;
    await onSlot2.dispose();
    const again = await engine.openStream();
    assert.equal(again.slot, 2);
    await Promise.all([...streams, again].map((s) => s.dispose()));
    assert.equal(engine.pool.inUse, 0);
  });

  it("refuses an unreachable URL and a URL that is not one", async () => {
    const closed = await closedPort();
    assert.match(await refusal(ServerEngine.connect(`http://127.0.0.1:${closed}`), "UNREACHABLE"), /^The llama-server at http:\/\/127\.0\.0\.1:\d+ is not reachable \(ECONNREFUSED\)/);
    assert.match(await refusal(ServerEngine.connect("localhost:8080"), "UNREACHABLE"), /is not an http\(s\) URL/);
  });

  it("refuses a server that ignores the grammar", async () => {
    // A stand-in for a proxy or an engine that drops `grammar`: it answers like llama-server, but free text.
    const fake = createServer((request, response) => {
      const json = (value: unknown) => { response.setHeader("content-type", "application/json"); response.end(JSON.stringify(value)); };
      if (request.url === "/health") return json({ status: "ok" });
      if (request.url === "/props") return json({ total_slots: 2, model_path: "m.gguf", chat_template: "" });
      if (request.url === "/v1/models") return json({ data: [{ id: "m.gguf", meta: { n_params: 1, size: 1, n_vocab: 1 } }] });
      if (request.url === "/tokenize") return json({ tokens: [1] });
      if (request.url === "/detokenize") return json({ content: "free text" });
      if (request.url === "/completion") return json({ tokens: [5, 6], stop_type: "limit", timings: {} });
      response.statusCode = 404;
      json({ error: { message: "no" } });
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    try {
      const port = (fake.address() as { port: number }).port;
      assert.match(await refusal(ServerEngine.connect(`http://127.0.0.1:${port}`), "NO_GRAMMAR"), /ignores the grammar .*tool calls need one/);
    } finally {
      fake.close();
    }
  });

  it("says the server is gone when it is killed mid-session, and a new server on the same slot files resumes the snapshot", async () => {
    const own = await startLlamaServer(REPO_ROOT, { model: modelPath, slots: 2 });
    let back: RunningLlamaServer | undefined;
    try {
      const ownEngine = await ServerEngine.connect(own.url);
      const stream = await ownEngine.openStream();
      await stream.append("You may only call tools.\n");
      await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      const file = join(scratch, "killed.state");
      await stream.saveState(file);
      const expected = await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0.5, seed: 3 });
      await own.kill();
      assert.match(await refusal(stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 40 }), "UNREACHABLE"), /is not reachable/);
      await stream.dispose();
      back = await startLlamaServer(REPO_ROOT, { model: modelPath, slots: 2, port: own.port, slotDir: own.slotDir });
      const resumed = await (await ServerEngine.connect(back.url)).openStream();
      await resumed.loadState(file);
      const again = await resumed.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0.5, seed: 3 });
      assert.equal(again.text, expected.text);
      await resumed.dispose();
    } finally {
      await own.kill();
      await back?.kill();
    }
  });
});
