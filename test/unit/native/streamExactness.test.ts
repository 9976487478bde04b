// The append-only stream keeps a recurrent model's state exact at any length: after 20,000 tokens
// appended in hundreds of small pieces, the next-token logits equal those of a single pass over the
// same tokens in a fresh session.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadModel, type EngineModel } from "../../../native/engine/index";
import { maxAbsDifference, PIECES } from "./engineChecks";
import { tinyModel } from "./tinyModels";

const TARGET_TOKENS = 20_000;

describe("append-only stream vs single-pass reference", () => {
  const models: EngineModel[] = [];
  after(async () => { for (const m of models) await m.dispose(); });

  for (const arch of ["mamba2", "rwkv7", "mamba", "rwkv6"] as const) {
    it(`${arch}: logits after ${TARGET_TOKENS} streamed tokens equal a single pass (max diff <= 1e-4)`, async () => {
      const model = await loadModel({ path: await tinyModel(arch), gpu: false });
      models.push(model);
      const stream = await model.createSession();
      let appends = 0;
      while (stream.tokenCount < TARGET_TOKENS) {
        await stream.append(PIECES.slice(0, 1 + (appends % PIECES.length)).join(" ") + " ");
        appends++;
        // Generations are part of the stream too.
        if (appends % 97 === 0) await stream.generate({ grammar: 'root ::= "call(" [a-z]{1,6} ")"', maxTokens: 16, temperature: 0 });
      }
      const tokens = stream.tokens();
      assert.ok(tokens.length >= TARGET_TOKENS);
      assert.ok(appends > 300, "the stream should be built from many small appends");

      const reference = await model.createSession();
      await reference.appendTokens(tokens);
      assert.deepEqual(reference.tokens(), tokens);

      const streamed = await stream.nextTokenLogits();
      const single = await reference.nextTokenLogits();
      assert.equal(streamed.length, model.info.vocabularySize);
      const diff = maxAbsDifference(streamed, single);
      assert.ok(diff <= 1e-4, `max logit difference ${diff}`);
      // The logits must carry signal: a constant vector would pass trivially.
      assert.ok(Math.max(...streamed) - Math.min(...streamed) > 0.5, "logits are nearly flat");
    });
  }
});
