// The engine's hybrid path on real llama.cpp: generated granitehybrid (Mamba-2 + attention layers)
// and lfm2 (short-convolution + attention layers) models. A hybrid's memory is a recurrent state and
// a KV cache together, so it gets a window like a transformer, and its snapshots must carry both.
import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { HYBRID_ARCHITECTURES } from "../../models/tinyModel";
import { isEngineError, loadModel, type EngineModel } from "../../../native/engine/index";
import { CALL_GRAMMAR, checkGrammarTurns, maxAbsDifference, PIECES } from "./engineChecks";
import { tinyModel } from "./tinyModels";
import { runCli } from "../cli/runCli";

let scratch: string;
before(async () => { scratch = await mkdtemp(join(tmpdir(), "itu-hybrid-")); });
after(async () => { await rm(scratch, { recursive: true, force: true }); });

for (const arch of HYBRID_ARCHITECTURES) {
  describe(`${arch} hybrid`, () => {
    let model: EngineModel;
    before(async () => { model = await loadModel({ path: await tinyModel(arch), gpu: false, threads: 1 }); });
    after(async () => { await model.dispose(); });

    it("reports architecture, hybrid kind, sizes and trained context", async () => {
      const info = model.info;
      assert.equal(info.architecture, arch);
      assert.equal(info.kind, "hybrid");
      assert.equal(info.fileSize, (await stat(info.path)).size);
      assert.ok(info.parameterCount > 100_000 && info.parameterCount < info.fileSize / 4 + 1);
      assert.ok(info.stateSize > 0);
      assert.equal(info.trainContextSize, 131072);
      assert.equal(info.vocabularySize, 281);
      assert.equal(info.backend, "cpu");
      assert.equal(info.threads, 1);
    });

    it("generates only sentences of the grammar, appended to the stream", async () => {
      const session = await model.createSession({ contextSize: 1024 });
      await checkGrammarTurns(session, 8);
      await session.dispose();
    });

    it("a restored snapshot gives the same logits and the same greedy continuation", async () => {
      const session = await model.createSession({ contextSize: 2048 });
      await session.append("The task: rename a function. ".repeat(20));
      await session.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      await session.append("\nobservation: done\n");
      const file = join(scratch, `${arch}.state`);
      const saved = await session.saveState(file);
      assert.ok(saved.fileSize > 0);
      const original = await session.generate({ maxTokens: 40, temperature: 0 });
      assert.ok(original.tokens.length > 5);

      const restored = await model.createSession({ contextSize: 2048 });
      await restored.append("unrelated text that the restore must replace");
      const loaded = await restored.loadState(file);
      assert.equal(loaded.tokenCount, session.tokenCount - original.tokens.length);
      const again = await restored.generate({ maxTokens: 40, temperature: 0 });
      assert.deepEqual(again.tokens, original.tokens);

      // The snapshot carries both the recurrent state and the KV cache: a restored session's logits
      // equal, bit for bit, those of the session the snapshot was taken from.
      await session.append("\nnext step:");
      const second = join(scratch, `${arch}-2.state`);
      await session.saveState(second);
      const sourceLogits = await session.nextTokenLogits();
      const a = await model.createSession({ contextSize: 2048 });
      await a.loadState(second);
      const restoredLogits = await a.nextTokenLogits();
      assert.deepEqual([...restoredLogits], [...sourceLogits]);
      assert.ok(Math.max(...sourceLogits) - Math.min(...sourceLogits) > 0.5, "logits are nearly flat");
      // And they match a single pass over the same tokens (up to batching noise in attention sums).
      const fresh = await model.createSession({ contextSize: 2048 });
      await fresh.appendTokens(session.tokens());
      const diff = maxAbsDifference(await fresh.nextTokenLogits(), sourceLogits);
      assert.ok(diff <= 1e-3, `diff ${diff}`);
      for (const s of [session, restored, a, fresh]) await s.dispose();
    });

    it("streamed small appends and generations equal a single pass (max diff <= 1e-4)", async () => {
      const stream = await model.createSession({ contextSize: 4096 });
      let appends = 0;
      while (stream.tokenCount < 3000) {
        await stream.append(PIECES.slice(0, 1 + (appends % PIECES.length)).join(" ") + " ");
        appends++;
        if (appends % 17 === 0) await stream.generate({ grammar: 'root ::= "call(" [a-z]{1,6} ")"', maxTokens: 16, temperature: 0 });
      }
      assert.ok(appends > 50);
      const reference = await model.createSession({ contextSize: 4096 });
      await reference.appendTokens(stream.tokens());
      const [streamed, single] = [await stream.nextTokenLogits(), await reference.nextTokenLogits()];
      const diff = maxAbsDifference(streamed, single);
      // Attention sums may depend slightly on how tokens were batched (measured: at most ~1e-6 here).
      assert.ok(diff <= 1e-4, `max logit difference ${diff}`);
      assert.ok(Math.max(...streamed) - Math.min(...streamed) > 0.5, "logits are nearly flat");
      await stream.dispose();
      await reference.dispose();
    });

    it("has a bounded window that refuses an overflowing append, changing nothing", async () => {
      const session = await model.createSession({ contextSize: 512 });
      assert.ok(session.capacity <= 512, `capacity ${session.capacity}`);
      await session.append("a".repeat(400));
      const tokens = session.tokens();
      await assert.rejects(session.append("b".repeat(200)), (e) => isEngineError(e, "WINDOW_FULL"));
      assert.deepEqual(session.tokens(), tokens);
      await assert.rejects(session.generate({ maxTokens: 200 }), (e) => isEngineError(e, "WINDOW_FULL"));
      assert.deepEqual(session.tokens(), tokens);
      await session.dispose();
    });

    it("re-primes with the caller's digest when the window is full", async () => {
      const digestText = "GOAL: rename. NOTES: step 3.\n";
      const events: number[] = [];
      const session = await model.createSession({
        contextSize: 512,
        onWindowFull: (event) => { events.push(event.tokenCount); return digestText; },
      });
      await session.append("a".repeat(400));
      const result = await session.append("b".repeat(200));
      assert.deepEqual(events, [400]);
      assert.equal(result.reprimed?.droppedTokens, 400);
      const digest = model.tokenize(digestText);
      assert.equal(result.reprimed?.digestTokens, digest.length);
      assert.deepEqual(session.tokens(), [...digest, ...model.tokenize("b".repeat(200))]);
      // The re-primed sequence is a fresh, consistent state (recurrent part included): it equals a
      // session fed the same tokens.
      const fresh = await model.createSession({ contextSize: 512 });
      await fresh.appendTokens(session.tokens());
      const diff = maxAbsDifference(await session.nextTokenLogits(), await fresh.nextTokenLogits());
      assert.ok(diff <= 1e-3, `diff ${diff}`);
      // And a generation keeps working after the re-prime.
      await session.append("\n");
      const call = await session.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0 });
      assert.equal(call.stopReason, "end");
      await session.dispose();
      await fresh.dispose();
    });

    it("re-primes with the first digest candidate that leaves room, and names the smallest when none does", async () => {
      const full = `GOAL: rename. STEPS: ${"x".repeat(350)}\n`;
      const light = "GOAL: rename.\n";
      const session = await model.createSession({ contextSize: 512, onWindowFull: () => [full, light] });
      await session.append("a".repeat(400));
      const result = await session.append("b".repeat(200));
      assert.equal(result.reprimed?.digestTokens, model.tokenize(light).length, "the full digest leaves no room for 200 tokens");
      assert.deepEqual(session.tokens(), [...model.tokenize(light), ...model.tokenize("b".repeat(200))]);
      await session.dispose();

      const tooLarge = await model.createSession({ contextSize: 512, onWindowFull: () => [full, full + full] });
      await tooLarge.append("a".repeat(400));
      await assert.rejects(tooLarge.append("b".repeat(200)), (e) => isEngineError(e, "WINDOW_FULL") && /The digest \(\d+ tokens\) leaves no room for 200 more tokens/.test(e.message));
      await tooLarge.dispose();
    });
  });
}

describe("CLI probe on hybrid models", () => {
  const runProbe = (path: string) => runCli(["probe", path, "--turns", "3", "--json", "--threads", "1", "--seed", "5", "--temperature", "0.8"]);

  for (const arch of HYBRID_ARCHITECTURES) {
    it(`${arch}: runs tool-call turns and reports the architecture`, async () => {
      const run = await runProbe(await tinyModel(arch));
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.equal(lines.length, 4);
      for (const turn of lines.slice(0, 3)) assert.equal(turn.valid, true, JSON.stringify(turn));
      const summary = lines[3]!;
      assert.equal(summary.summary, true);
      assert.equal(summary.architecture, arch);
      assert.equal(summary.valid, 3);
    });
  }
});
