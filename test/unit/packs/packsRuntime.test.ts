// The packs' tools in the grammar, with real llama.cpp: the grammars compile in every tool-call format,
// and over the tiny random models of every architecture every generated turn is a call the registry
// (code tools plus both packs) accepts. Same method as test/unit/prompt/runtime.test.ts, smaller sample.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cpuLlama } from "../../../extension/cli/llamaSession";
import { createAdapter, isParseError, type GrammarLimits, type ProtocolAdapter } from "../../../extension/core/prompt";
import { callProblems } from "../../../extension/core/tools/validate";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { toolsWithPacks } from "../../../extension/core/tools/packs";
import { loadModel } from "../../../native/engine/index";
import { ALL_ARCHITECTURES, hasAttention } from "../../models/tinyModel";
import { tinyModel } from "../native/tinyModels";

const tools = toolsWithPacks(toolDefinitions, ["prose", "cad"]);
const packTools = new Set(tools.filter((t) => !toolDefinitions.includes(t)).map((t) => t.name));
const LIMITS: GrammarLimits = { maxStringChars: 24, maxBodyLines: 4, maxBodyLineChars: 40, maxThinkingLines: 2 };
const TURNS = Number(process.env.ITU_PACK_TURNS ?? 16);
const ADAPTERS: readonly ProtocolAdapter[] = [
  createAdapter("plain"),
  createAdapter("hermes"),
  createAdapter("rwkv"),
  createAdapter("hermes", { dialect: "granite", allowThinking: true }),
  // The families' own call syntaxes (built-in framing; their templates are tested in unit/families).
  createAdapter("granite3"),
  createAdapter("lfm2-json"),
  createAdapter("lfm2-pythonic"),
  createAdapter("nemotron"),
];

describe("pack tools in the grammar compile in llama.cpp", () => {
  for (const adapter of ADAPTERS) {
    it(`${adapter.format}${adapter.allowsThinking ? " (thinking)" : ""}`, async () => {
      const llama = await cpuLlama();
      await llama.createGrammar({ grammar: adapter.grammar(tools, LIMITS) });
      await llama.createGrammar({ grammar: adapter.grammar(tools) });
    });
  }
});

describe(`with the packs, every generated turn is a valid call (every format, ${ALL_ARCHITECTURES.length} architectures in turn, ${TURNS} turns each)`, () => {
  let packCalls = 0;
  for (const [index, adapter] of ADAPTERS.entries()) {
    const arch = ALL_ARCHITECTURES[index % ALL_ARCHITECTURES.length]!;
    it(`${arch}, ${adapter.format}${adapter.allowsThinking ? " (thinking)" : ""}`, async () => {
      const model = await loadModel({ path: await tinyModel(arch, 3, { dModel: 64 }), gpu: false, threads: 1 });
      const session = await model.createSession({ contextSize: hasAttention(arch) ? 1 << 16 : 1 << 22 });
      const grammar = adapter.grammar(tools, LIMITS);
      try {
        await session.append(adapter.renderPreamble(tools), { special: true });
        await session.append(adapter.renderTask("Write the introduction of article.md, then render bracket.scad from the top."));
        for (let turn = 0; turn < TURNS; turn++) {
          if (adapter.turnPrefix) await session.append(adapter.turnPrefix, { special: true });
          const result = await session.generate({ grammar, maxTokens: 2048, temperature: 1, seed: 7000 + turn });
          const where = `${arch} ${adapter.format} turn ${turn}: ${JSON.stringify(result.text)}`;
          assert.equal(result.stopReason, "end", `hit maxTokens: ${where}`);
          const call = adapter.parse(result.text, tools);
          assert.ok(!isParseError(call), `${JSON.stringify(call)} ${where}`);
          assert.deepEqual(callProblems(call, tools), [], where);
          if (packTools.has(call.tool)) packCalls++;
          await session.append(adapter.renderObservation({ ok: true, text: "## Intro (lines 1-4, 12 words)\n|  @@%%##" }));
        }
      } finally {
        await model.dispose();
      }
    });
  }
  it("the sample called pack tools", () => {
    console.log(`${ADAPTERS.length * TURNS} turns valid, ${packCalls} of them pack tool calls`);
    assert.ok(packCalls > 0, "no generated turn called a pack tool");
  });
});
