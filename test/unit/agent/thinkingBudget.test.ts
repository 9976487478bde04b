// A thinking budget: a turn whose thinking fills the turn's token limit gets its block closed for it
// (the fence's end as the special token) and a turn of its own for the call, under the call-only
// grammar, instead of ending as a cut, invalid output. Real llama.cpp, a tiny random model carrying
// Qwen3's real template and special tokens (read from ../shared, never copied); noise, not competence.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ModelPolicy } from "../../../extension/core/agent/modelPolicy";
import { chooseFormat, createAdapter, isParseError } from "../../../extension/core/prompt";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { loadModel, type EngineModel } from "../../../native/engine/index";
import { familiesDir, MODEL_FAMILIES, readTemplate, writeTinyModel } from "../../models/generate";

const dir = familiesDir();
if (!dir) console.log("thinking budget: ../shared/model-families is missing; skipping (CI=true makes this a failure)");

describe("a thinking budget", { skip: !dir }, () => {
  const family = MODEL_FAMILIES.find((f) => f.id === "qwen3")!;
  const work = mkdtempSync(join(tmpdir(), "itu-thinking-"));
  let model: EngineModel;
  before(async () => {
    const path = join(work, "qwen3.gguf");
    await writeTinyModel({ arch: family.arch, seed: 3, path, dModel: 64, layers: 2, specialTokens: family.specialTokens, chatTemplate: readTemplate(dir!, family)! });
    model = await loadModel({ path, gpu: false, threads: 1 });
  });
  after(async () => {
    await model?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it("closes thinking that fills the turn and lets the model write the call", async () => {
    const choice = chooseFormat({ architecture: family.arch, name: "tiny qwen3", specialTokens: family.specialTokens, chatTemplate: readTemplate(dir!, family)! });
    const adapter = createAdapter(choice.format, choice.options);
    assert.ok(adapter.allowsThinking);
    const [closeId] = model.tokenize("</think>", true);
    let closedForIt = 0;
    let parsed = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const session = await model.createSession({ contextSize: 16384 });
      // Strings and bodies bounded so the call itself fits; thinking is not (no maxThinkingLines).
      const policy = new ModelPolicy(adapter, session, { temperature: 0.8, seed, maxTokensPerTurn: 160, grammarLimits: { maxStringChars: 16, maxBodyLines: 2, maxBodyLineChars: 20 } });
      await policy.start({ task: "Fix add() in src/math.ts.", tools: toolDefinitions, signal: new AbortController().signal });
      const before = session.tokenCount;
      const turn = await policy.next(new AbortController().signal);
      if (turn.kind === "exhausted") assert.fail(turn.message);
      const raw = turn.raw ?? "";
      const closer = "\n</think>\n\n";
      const at = raw.indexOf(closer);
      const thinking = raw.startsWith("<think>") && at > 0 && turn.output!.tokens.slice(0, 160).every((t) => t !== closeId);
      if (thinking && turn.output!.tokens.length > 160) {
        closedForIt++;
        // The closer went into the stream as the fence's special token, between the two generations.
        const stream = session.tokens().slice(before);
        assert.ok(stream.includes(closeId!), "</think> appended as its special token");
        // What follows the closer is a call of the call-only grammar (no second thinking block).
        assert.ok(!raw.slice(at + closer.length).startsWith("<think>"));
        if (turn.kind === "call") {
          parsed++;
          assert.ok(!isParseError(adapter.parse(raw, toolDefinitions)));
          assert.ok(turn.thinking && turn.thinking.length > 0);
        }
      }
      await session.dispose();
    }
    console.log(`${closedForIt} of 6 turns had their thinking closed for them; ${parsed} of those then parsed as a call`);
    assert.ok(closedForIt >= 1, "at least one turn's thinking filled the turn");
    assert.ok(parsed >= 1, `a closed thinking block was followed by a parsed call (${parsed} of ${closedForIt})`);
  });
});
