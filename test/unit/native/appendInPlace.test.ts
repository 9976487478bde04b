// The sequence's token list appends in place on the real node-llama-cpp: the same list object lives
// through generation (no copy per token), its contents are the library's own view of the sequence,
// it survives clearing and reloading, and copies handed out are plain arrays that never alias it.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { cpuLlama } from "../../../extension/cli/llamaSession";
import { AppendInPlaceTokenList, appendTokensInPlace } from "../../../native/engine/appendInPlace";
import { tinyModel } from "./tinyModels";

const internalList = (sequence: LlamaContextSequence) => (sequence as unknown as { _contextTokens: number[] })._contextTokens;

async function generate(sequence: LlamaContextSequence, input: Token[], count: number): Promise<Token[]> {
  const out: Token[] = [];
  for await (const token of sequence.evaluate(input, { temperature: 0 })) {
    out.push(token);
    if (out.length === count) break;
  }
  return out;
}

describe("append-in-place token list", () => {
  it("a plain array's behaviour, except that concat appends to the list itself", () => {
    const list = AppendInPlaceTokenList.from([1, 2]);
    assert.equal(list.concat([3, 4], 5), list);
    assert.deepEqual([...list], [1, 2, 3, 4, 5]);
    const copy = list.slice();
    assert.ok(!(copy instanceof AppendInPlaceTokenList), "copies must be plain arrays");
    assert.notEqual(copy.concat([6]), copy);
    assert.deepEqual(list.splice(0, 1), [1]);
    assert.ok(!(list.map((t) => t) instanceof AppendInPlaceTokenList));
  });

  it("keeps one list through a real generation, matching the sequence, and after clearing and loading state", async () => {
    const llama = await cpuLlama();
    const model = await llama.loadModel({ modelPath: await tinyModel("mamba2", 1) });
    const context = await model.createContext({ contextSize: 1 << 16, threads: 1 });
    try {
      const sequence = context.getSequence({ checkpoints: { max: 0, interval: false } });
      assert.equal(appendTokensInPlace(sequence), true, "this node-llama-cpp version should expose its token list");
      const list = internalList(sequence);
      assert.ok(list instanceof AppendInPlaceTokenList);
      const prompt = model.tokenize("Fix the bug in src/a.ts.\n");
      await sequence.evaluateWithoutGeneratingNewTokens(prompt);
      const generated = await generate(sequence, model.tokenize("read_file("), 40);
      assert.equal(generated.length, 40);
      assert.equal(internalList(sequence), list, "generation must append to the same list, not copy it");
      assert.deepEqual(sequence.contextTokens, [...prompt, ...model.tokenize("read_file("), ...generated.slice(0, -1)]);
      assert.equal(sequence.contextTokens.length, sequence.nextTokenIndex);
      assert.ok(!(sequence.contextTokens instanceof AppendInPlaceTokenList), "the public copy must not alias the list");

      const file = join(await mkdtemp(join(tmpdir(), "itu-inplace-")), "state.bin");
      await sequence.saveStateToFile(file);
      const saved = sequence.contextTokens;
      await sequence.clearHistory();
      assert.equal(sequence.nextTokenIndex, 0);
      await generate(sequence, prompt, 5);
      assert.ok(internalList(sequence) instanceof AppendInPlaceTokenList, "a cleared sequence keeps appending in place");
      await sequence.loadStateFromFile(file, { acceptRisk: true });
      assert.ok(internalList(sequence) instanceof AppendInPlaceTokenList, "a loaded state keeps appending in place");
      assert.deepEqual(sequence.contextTokens, saved);
    } finally {
      await context.dispose();
      await model.dispose();
    }
  });
});
