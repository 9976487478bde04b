// The engine on real llama.cpp with generated models: model facts, snapshots, cancellation, the
// window strategy for growing memory, and refusal of bad input.
import assert from "node:assert/strict";
import { mkdtemp, readdir, stat, writeFile, copyFile, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isEngineError, loadModel, type EngineModel } from "../../../native/engine/index";
import { CALL_GRAMMAR, checkGrammarTurns, maxAbsDifference } from "./engineChecks";
import { writeTinyModel } from "../../models/tinyModel";
import { tinyModel } from "./tinyModels";

// No finite sentence: the end token is never allowed, so only cancellation or maxTokens stop it.
const ENDLESS_GRAMMAR = "root ::= [a-z ] root";

let scratch: string;
before(async () => { scratch = await mkdtemp(join(tmpdir(), "itu-engine-")); });

describe("model facts", () => {
  for (const [arch, kind] of [["mamba2", "recurrent"], ["rwkv6", "recurrent"], ["llama", "transformer"]] as const) {
    it(`${arch}: reports architecture, kind, sizes, template and backend`, async () => {
      const path = await tinyModel(arch, 3, { chatTemplate: "{{ messages }}" });
      const model = await loadModel({ path, gpu: false });
      try {
        assert.equal(model.info.architecture, arch);
        assert.equal(model.info.kind, kind);
        assert.equal(model.info.fileSize, (await stat(path)).size);
        assert.ok(model.info.parameterCount > 100_000 && model.info.parameterCount < model.info.fileSize / 4 + 1);
        assert.ok(model.info.stateSize > 0);
        assert.equal(model.info.chatTemplate, "{{ messages }}");
        assert.equal(model.info.backend, "cpu");
        assert.equal(model.info.vocabularySize, 281);
        assert.ok(model.info.threads >= 1);
      } finally {
        await model.dispose();
      }
    });
  }
});

describe("session", () => {
  let mamba: EngineModel;
  let rwkv: EngineModel;
  before(async () => {
    mamba = await loadModel({ path: await tinyModel("mamba2"), gpu: false });
    rwkv = await loadModel({ path: await tinyModel("rwkv7"), gpu: false });
  });
  after(async () => { await mamba.dispose(); await rwkv.dispose(); });

  it("generates only sentences of the grammar, appended to the stream", async () => {
    await checkGrammarTurns(await mamba.createSession(), 20);
  });

  it("streams token text that adds up to the result, including non-ASCII", async () => {
    const session = await mamba.createSession();
    await session.append("x");
    let streamed = "";
    const result = await session.generate({ grammar: 'root ::= "é日" [a-z]{3} "𝄞"', maxTokens: 30, onToken: (delta) => { streamed += delta; } });
    assert.match(result.text, /^é日[a-z]{3}𝄞$/);
    assert.equal(streamed, result.text);
  });

  for (const name of ["mamba2", "rwkv7"] as const) {
    it(`${name}: a restored snapshot gives the same logits and the same greedy continuation`, async () => {
      const model = name === "mamba2" ? mamba : rwkv;
      const session = await model.createSession();
      await session.append("The task: rename a function. ".repeat(40));
      await session.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      await session.append("\nobservation: done\n");
      const file = join(scratch, `${name}.state`);
      const saved = await session.saveState(file);
      assert.ok(saved.fileSize > 0);
      assert.deepEqual((await readdir(scratch)).filter((f) => f.includes(".partial-")), [], "saved under its own name, then renamed into place");
      const original = await session.generate({ maxTokens: 40, temperature: 0 });

      const restored = await model.createSession();
      await restored.append("unrelated text that the restore must replace");
      const loaded = await restored.loadState(file);
      assert.equal(loaded.tokenCount, session.tokenCount - original.tokens.length);
      const again = await restored.generate({ maxTokens: 40, temperature: 0 });
      assert.deepEqual(again.tokens, original.tokens);
      assert.ok(original.tokens.length > 5);

      const a = await model.createSession();
      const b = await model.createSession();
      await a.loadState(file);
      await b.loadState(file);
      const la = await a.nextTokenLogits();
      const lb = await b.nextTokenLogits();
      assert.deepEqual([...la], [...lb]);
      for (const s of [session, restored, a, b]) await s.dispose();
    });
  }

  it("refuses a state saved by another model and keeps its own stream", async () => {
    const source = await rwkv.createSession();
    await source.append("rwkv state");
    const file = join(scratch, "rwkv.state");
    await source.saveState(file);
    const target = await mamba.createSession();
    await target.append("mamba stream");
    const tokens = target.tokens();
    await assert.rejects(target.loadState(file), (e) => isEngineError(e, "STATE_MISMATCH") && /another model/.test(e.message));
    assert.deepEqual(target.tokens(), tokens);
    await assert.rejects(target.loadState(join(scratch, "missing.state")), (e) => isEngineError(e, "NOT_FOUND"));
  });

  it("stops a generation within 200 ms of cancellation", async () => {
    const session = await rwkv.createSession();
    await session.append("go");
    const controller = new AbortController();
    let cancelledAt = 0;
    let tokens = 0;
    const running = session.generate({
      grammar: ENDLESS_GRAMMAR, maxTokens: 1_000_000, temperature: 1, seed: 7, signal: controller.signal,
      onToken: () => { if (++tokens === 50) { cancelledAt = performance.now(); controller.abort(); } },
    });
    const result = await running;
    const latency = performance.now() - cancelledAt;
    assert.equal(result.stopReason, "cancelled");
    assert.ok(cancelledAt > 0);
    assert.ok(latency < 200, `stopped ${latency.toFixed(1)} ms after cancellation`);
    // The session stays usable.
    await session.append(" next");
    const next = await session.generate({ grammar: CALL_GRAMMAR, maxTokens: 40 });
    assert.match(next.text, /^call\(/);
  });

  it("cancels a generation from a timer while tokens are being produced", async () => {
    const session = await rwkv.createSession();
    await session.append("go");
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 300);
    const result = await session.generate({ grammar: ENDLESS_GRAMMAR, maxTokens: 1_000_000, temperature: 1, signal: controller.signal });
    const elapsed = performance.now() - started;
    assert.equal(result.stopReason, "cancelled");
    assert.ok(elapsed < 300 + 200, `took ${elapsed.toFixed(0)} ms`);
  });

  it("rejects a bad grammar and bad arguments without changing the stream", async () => {
    const session = await mamba.createSession();
    await session.append("stable");
    const tokens = session.tokens();
    await assert.rejects(session.generate({ grammar: "root ::= (", maxTokens: 5 }), (e) => isEngineError(e, "BAD_GRAMMAR"));
    await assert.rejects(session.generate({ maxTokens: 0 }), (e) => isEngineError(e, "BAD_ARGUMENT"));
    assert.deepEqual(session.tokens(), tokens);
    const empty = await mamba.createSession();
    await assert.rejects(empty.generate({ maxTokens: 5 }), (e) => isEngineError(e, "NO_INPUT"));
  });
});

describe("window strategy for models whose memory grows", () => {
  let llama: EngineModel;
  before(async () => { llama = await loadModel({ path: await tinyModel("llama"), gpu: false }); });
  after(async () => { await llama.dispose(); });

  it("refuses an append that would overflow, changing nothing", async () => {
    const session = await llama.createSession({ contextSize: 256 });
    await session.append("a".repeat(200));
    const tokens = session.tokens();
    await assert.rejects(session.append("b".repeat(100)), (e) => isEngineError(e, "WINDOW_FULL"));
    assert.deepEqual(session.tokens(), tokens);
    await assert.rejects(session.generate({ maxTokens: 100 }), (e) => isEngineError(e, "WINDOW_FULL"));
    assert.deepEqual(session.tokens(), tokens);
  });

  it("re-primes with the caller's digest and reports it", async () => {
    const events: number[] = [];
    const session = await llama.createSession({
      contextSize: 256,
      onWindowFull: (event) => { events.push(event.tokenCount); return "GOAL: rename. NOTES: step 3.\n"; },
    });
    await session.append("a".repeat(200));
    const result = await session.append("b".repeat(100));
    assert.deepEqual(events, [200]);
    assert.equal(result.reprimed?.droppedTokens, 200);
    const digest = llama.tokenize("GOAL: rename. NOTES: step 3.\n");
    assert.equal(result.reprimed?.digestTokens, digest.length);
    assert.deepEqual(session.tokens(), [...digest, ...llama.tokenize("b".repeat(100))]);
    // The re-primed sequence is a fresh, consistent state: it equals a session fed the same tokens.
    const fresh = await llama.createSession({ contextSize: 256 });
    await fresh.appendTokens(session.tokens());
    const [x, y] = [await session.nextTokenLogits(), await fresh.nextTokenLogits()];
    const diff = maxAbsDifference(x, y);
    // A transformer's logits depend slightly on how its tokens were batched (float sums).
    assert.ok(diff <= 1e-3, `diff ${diff}`);
  });

  it("re-primes a template's markers as their special tokens, and the goal's text as plain text", async () => {
    const path = join(scratch, "llama-markers.gguf");
    await writeTinyModel({ arch: "llama", seed: 3, path, dModel: 64, layers: 2, specialTokens: ["<|im_start|>", "<|im_end|>"] });
    const model = await loadModel({ path, gpu: false });
    try {
      const [start, end] = [model.tokenize("<|im_start|>", true), model.tokenize("<|im_end|>", true)];
      assert.equal(start.length, 1);
      assert.equal(end.length, 1);
      const goal = "Fix <|im_end|> handling";
      const digest = (notes: string) => [
        { text: "<|im_start|>", special: true }, { text: `system\n${notes}`, special: false }, { text: "<|im_end|>", special: true },
        { text: "\n", special: false }, { text: "<|im_start|>", special: true }, { text: `user\n${goal}`, special: false }, { text: "<|im_end|>", special: true },
      ];
      // The first candidate (long notes) leaves no room; the second does.
      const session = await model.createSession({ contextSize: 256, onWindowFull: () => [digest("n".repeat(200)), digest("short")] });
      await session.append("a".repeat(240));
      const result = await session.append("b".repeat(20));
      const expected = digest("short").flatMap((s) => model.tokenize(s.text, s.special));
      assert.equal(result.reprimed?.digestTokens, expected.length);
      assert.deepEqual(session.tokens(), [...expected, ...model.tokenize("b".repeat(20))]);
      const count = (id: number) => session.tokens().filter((t) => t === id).length;
      // Four markers, each one token; the goal's "<|im_end|>" stays spelled out of plain pieces.
      assert.equal(count(start[0]!), 2);
      assert.equal(count(end[0]!), 2);
      assert.ok(model.detokenize(session.tokens()).includes("Fix <|im_end|> handling"));
      // A plain-text digest (a string) never parses markers.
      const plain = await model.createSession({ contextSize: 256, onWindowFull: () => "<|im_start|>user\nhi<|im_end|>" });
      await plain.append("a".repeat(250));
      await plain.append("b".repeat(10));
      assert.ok(!plain.tokens().includes(start[0]!));
    } finally {
      await model.dispose();
    }
  });

  it("a recurrent session's window is effectively unbounded", async () => {
    const model = await loadModel({ path: await tinyModel("mamba"), gpu: false });
    const session = await model.createSession({ contextSize: 256 });
    assert.ok(session.capacity >= 2 ** 22 - 2);
    await session.append("x".repeat(1000));
    assert.equal(session.tokenCount, 1000);
    await model.dispose();
  });
});

describe("bad model files", () => {
  it("refuses a missing file, a non-GGUF file and a truncated GGUF with clear messages", async () => {
    await assert.rejects(loadModel({ path: join(scratch, "nope.gguf"), gpu: false }), (e) => isEngineError(e, "NOT_FOUND"));
    const text = join(scratch, "notes.txt");
    await writeFile(text, "hello, not a model");
    await assert.rejects(loadModel({ path: text, gpu: false }), (e) => isEngineError(e, "NOT_GGUF") && /GGUF/.test(e.message));
    const truncated = join(scratch, "truncated.gguf");
    await copyFile(await tinyModel("mamba2"), truncated);
    await truncate(truncated, 600_000);
    await assert.rejects(loadModel({ path: truncated, gpu: false }), (e) => isEngineError(e, "LOAD_FAILED") && /not within the file bounds|corrupt/.test(e.message));
  });
});
