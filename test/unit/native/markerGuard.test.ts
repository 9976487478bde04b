// The special-token guard over a real grammar (llama.cpp's, on a tiny model whose vocabulary holds
// qwen3's markers as control tokens): walking the hermes grammar with a think block token by token,
// a marker's special token is admitted only where the syntax puts that marker. Inside the think
// block <think> or <tool_call> is just a text line, so their tokens are banned there (the gap seen
// in the families test: a <think> token inside thinking text); </think> closes the block only on a
// line of its own, and after its token nothing but the newline may follow.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LlamaGrammarEvaluationState } from "node-llama-cpp";
import { createAdapter } from "../../../extension/core/prompt";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { acceptGrammarToken, grammarProbe } from "../../../native/engine/grammarProbe";
import { loadModel, type EngineModel } from "../../../native/engine/index";
import { writeTinyModel } from "../../models/generate";

const QWEN3_TOKENS = ["<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>", "<think>", "</think>"];

describe("special-token guard over the hermes grammar with a think block", () => {
  let dir = "";
  let model: EngineModel;
  const adapter = createAdapter("hermes", { dialect: "chatml", allowThinking: true });
  const grammarText = adapter.grammar(toolDefinitions, { maxStringChars: 64, maxBodyLines: 8, maxBodyLineChars: 80, maxThinkingLines: 4 });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "itu-marker-guard-"));
    const path = join(dir, "qwen3-tokens.gguf");
    await writeTinyModel({ arch: "llama", seed: 3, path, dModel: 64, layers: 2, specialTokens: QWEN3_TOKENS });
    model = await loadModel({ path, gpu: false, threads: 1 });
  });
  after(async () => {
    await model?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const id = (marker: string) => {
    const tokens = model.tokenize(marker, true);
    assert.equal(tokens.length, 1, `${marker} is one special token`);
    return tokens[0]!;
  };
  const pieces = (text: string) => model.tokenize(text, false);

  /** Walks the grammar and the guard through `steps` (marker tokens and plain text), as sampling would. */
  async function walk(steps: readonly (number | string)[]) {
    const state = new LlamaGrammarEvaluationState({ model: model.model, grammar: await model.grammar(grammarText) });
    const probe = grammarProbe(model.model, state);
    const guard = model.createSpecialTokenGuard(grammarText);
    guard.reset();
    for (const step of steps) {
      for (const token of typeof step === "number" ? [step] : pieces(step)) {
        assert.ok(probe.admits(token), `the grammar admits ${JSON.stringify(model.detokenize([token]))} here`);
        const banned = guard.banned(probe).tokens;
        assert.ok(!banned.includes(token), `the guard lets ${JSON.stringify(model.detokenize([token]))} through on the way`);
        acceptGrammarToken(model.model, state, token);
        guard.accept(token);
      }
    }
    return { banned: new Set(guard.banned(probe).tokens), probe };
  }

  it("bans another marker's token at a line's start inside the think block", async () => {
    for (const at of [[id("<think>"), "\n"], [id("<think>"), "\nsome thought\n"]]) {
      const { banned, probe } = await walk(at);
      for (const marker of ["<think>", "<tool_call>", "</tool_call>", "<|im_end|>"]) {
        // The grammar admits the marker's text here (a text line may be anything but "</think>").
        if (marker === "<think>") assert.ok(probe.admits(id(marker)), "the grammar admits <think> as a text line");
        assert.ok(banned.has(id(marker)), `${marker}'s token is banned inside thinking (${JSON.stringify(at)})`);
      }
      // Right after "<think>\n" the block has no text line yet, so </think> there is not the close.
      assert.equal(banned.has(id("</think>")), at.length === 2 && at[1] === "\n", "</think> may close the block after a text line");
    }
  });

  it("bans every marker's token in the middle of a thinking line", async () => {
    const { banned } = await walk([id("<think>"), "\nhalf a line "]);
    for (const marker of QWEN3_TOKENS) assert.ok(banned.has(id(marker)), marker);
  });

  it("lets only the newline follow a closing </think> token, then the call's marker", async () => {
    const { banned } = await walk([id("<think>"), "\nthought\n", id("</think>")]);
    for (const text of ["x", " ", "<"]) assert.ok(banned.has(pieces(text)[0]!), `"${text}" after </think> is banned`);
    assert.ok(!banned.has(pieces("\n")[0]!), "the newline is admitted");
    const next = await walk([id("<think>"), "\nthought\n", id("</think>"), "\n\n"]);
    assert.ok(!next.banned.has(id("<tool_call>")), "the call opens with its marker token");
  });

  it("admits the think and call markers where the syntax puts them", async () => {
    const start = await walk([]);
    assert.ok(!start.banned.has(id("<think>")) && !start.banned.has(id("<tool_call>")));
    await walk([id("<tool_call>"), "\n", '{"name": "outline", "arguments": {"path": "a.ts"}}', "\n", id("</tool_call>")]);
  });
});
