// Real llama.cpp: the grammars compile, and over tiny random models of every architecture every
// generated turn parses into a call that the registry accepts. Set ITU_FULL_PROPERTY=1 for the
// issue's full run (5 architectures, plus two hybrids, x 10 seeds x 100 turns); the default is a smaller sample.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createAdapter, isParseError, type GrammarLimits, type ProtocolAdapter } from "../../../extension/core/prompt";
import { callProblems } from "../../../extension/core/tools/validate";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { ALL_ARCHITECTURES, hasAttention, writeTinyModel, type TinyArchitecture } from "../../models/tinyModel";
import { cpuLlama } from "../../../extension/cli/llamaSession";
import { loadModel } from "../../../native/engine/index";

const FULL = process.env.ITU_FULL_PROPERTY === "1";
const SEEDS = FULL ? 10 : 2;
const TURNS = FULL ? 100 : 12;
// Bounds that keep every turn of an untrained model finite; the worst case stays under MAX_TOKENS.
const LIMITS: GrammarLimits = { maxStringChars: 24, maxBodyLines: 4, maxBodyLineChars: 40, maxThinkingLines: 2 };
const MAX_TOKENS = 2048;
// Holds a full run (about 30k tokens with a byte-level vocabulary); the tests check it is never
// reached (no context shift). Recurrent state does not grow with it; the transformer's cache does.
const contextSizeFor = (arch: TinyArchitecture) => (hasAttention(arch) ? 1 << 16 : 1 << 22);
// The five architectures, then the hybrids (Mamba-2 + attention, short convolution + attention).
const ARCHITECTURES = ALL_ARCHITECTURES;

const ADAPTERS: readonly ProtocolAdapter[] = [
  createAdapter("plain"),
  createAdapter("hermes"),
  createAdapter("rwkv"),
  createAdapter("hermes", { dialect: "granite", allowThinking: true }),
];

const OBSERVATIONS = [
  { ok: true, text: "1: const naïve = \"日本\";\n2: \tif (x) {\r\n3: }" },
  { ok: false, text: "No such file: src/😀.ts" },
  { ok: true, text: "src/a.ts:3: BODY>>>" },
];

describe("grammars compile in llama.cpp", () => {
  for (const adapter of ADAPTERS) {
    for (const limits of [{}, LIMITS]) {
      it(`${adapter.format}${adapter.allowsThinking ? " (thinking)" : ""} ${Object.keys(limits).length ? "bounded" : "unbounded"}`, async () => {
        const llama = await cpuLlama();
        await llama.createGrammar({ grammar: adapter.grammar(toolDefinitions, limits) });
      });
    }
  }
});

describe(`every generated turn is a valid call (${ARCHITECTURES.length} architectures x ${SEEDS} seeds x ${TURNS} turns)`, () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "itu-prompt-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const arch of ARCHITECTURES) {
    it(arch, async () => {
      const started = performance.now();
      let tokens = 0;
      let withNonAscii = 0;
      let withBody = 0;
      let withThinking = 0;
      const formats = new Set<string>();
      for (let seed = 1; seed <= SEEDS; seed++) {
        const path = join(dir, `${arch}-${seed}.gguf`);
        await writeTinyModel({ arch, seed, path, dModel: 64, layers: 2 });
        // Rotated by architecture too, so that even the small default run covers every adapter.
        const adapter = ADAPTERS[(seed + ARCHITECTURES.indexOf(arch)) % ADAPTERS.length]!;
        formats.add(`${adapter.format}${adapter.allowsThinking ? "+think" : ""}`);
        // The product's own decoding path: the model host's engine (grammar + UTF-8 guard).
        const model = await loadModel({ path, gpu: false, threads: 1 });
        const session = await model.createSession({ contextSize: contextSizeFor(arch) });
        const grammar = adapter.grammar(toolDefinitions, LIMITS);
        try {
          await session.append(adapter.renderPreamble(toolDefinitions), { special: true });
          await session.append(adapter.renderTask("Fix the bug in src/a.ts."));
          for (let turn = 0; turn < TURNS; turn++) {
            if (adapter.turnPrefix) await session.append(adapter.turnPrefix, { special: true });
            const result = await session.generate({ grammar, maxTokens: MAX_TOKENS, temperature: 1, seed: seed * 1000 + turn });
            const where = `${arch} seed ${seed} ${adapter.format} turn ${turn}: ${JSON.stringify(result.text)}`;
            assert.equal(result.stopReason, "end", `hit maxTokens: ${where}`);
            const call = adapter.parse(result.text, toolDefinitions);
            assert.ok(!isParseError(call), `${JSON.stringify(call)} ${where}`);
            assert.deepEqual(callProblems(call, toolDefinitions), [], where);
            // U+FFFD is outside the grammar: seeing it means bytes that were not valid UTF-8.
            assert.ok(!result.text.includes("\ufffd"), `invalid UTF-8 in ${where}`);
            tokens += result.tokens.length;
            if (/[^\x20-\x7e\n\t\r]/.test(result.text)) withNonAscii++;
            if (call.body !== undefined) withBody++;
            if (call.thinking !== undefined) withThinking++;
            await session.append(adapter.renderObservation(OBSERVATIONS[turn % OBSERVATIONS.length]!));
          }
          assert.ok(session.tokenCount < contextSizeFor(arch) - MAX_TOKENS, `the session outgrew its context (${session.tokenCount} tokens)`);
        } finally {
          await model.dispose();
        }
        // The full run takes long on the transformer; a line per seed shows it is moving.
        if (FULL) console.log(`${arch} seed ${seed}: ${TURNS} turns valid, ${tokens} tokens so far, ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(`${arch} (${[...formats].join(", ")}): ${SEEDS * TURNS} turns, ${tokens} tokens, ${withNonAscii} with non-ASCII, ${withBody} with a body, ${withThinking} with thinking, ${seconds.toFixed(1)} s`);
      assert.ok(withNonAscii > 0 && withBody > 0, "the sample must exercise non-ASCII text and bodies");
    });
  }
});
