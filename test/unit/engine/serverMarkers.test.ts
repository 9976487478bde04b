// On llama-server the call syntax's markers are generated as the model's special tokens: the grammar
// names them as tokens (serverGrammar.ts), so a marker is never spelled out of ordinary pieces. A
// tiny random model carrying Qwen3's real template and special tokens (read from ../shared, never
// copied); the format is chosen from what the server reports. Proves the machinery, not competence.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ServerEngine } from "../../../extension/core/engine/index";
import { withMarkerTokens } from "../../../extension/core/engine/serverGrammar";
import { chooseFormat, createAdapter, isParseError } from "../../../extension/core/prompt";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { llamaServerMissing, startLlamaServer, type RunningLlamaServer } from "../../harness/llamaServerProcess";
import { familiesDir, MODEL_FAMILIES, readTemplate, writeTinyModel } from "../../models/generate";
import { REPO_ROOT } from "../native/tinyModels";

describe("marker literals as token references", () => {
  it("splits markers out of string literals and leaves character classes alone", () => {
    const grammar = 'call ::= "<tool_call>\\n" args "\\n</tool_call>"\nchar ::= [^"<tool_call>\\]] | "a\\"<b>"';
    assert.equal(
      withMarkerTokens(grammar, ["<tool_call>", "</tool_call>", "<b>"]),
      'call ::= (<tool_call> "\\n") args ("\\n" </tool_call>)\nchar ::= [^"<tool_call>\\]] | ("a\\"" <b>)',
    );
    assert.equal(withMarkerTokens(grammar, []), grammar);
    // Only token-shaped markers: a marker with a space or a quote is left as text.
    assert.equal(withMarkerTokens('r ::= "[TOOL CALL]"', ["[TOOL CALL]"]), 'r ::= "[TOOL CALL]"');
  });
});

const missing = llamaServerMissing(REPO_ROOT);
const dir = familiesDir(REPO_ROOT);
const skip = missing ?? (dir ? undefined : "../shared/model-families is missing");
if (skip) console.log(`# skipped: ${skip}`);

/** Where in the text each special segment starts, and its text. */
function markerOffsets(segments: readonly { text: string; special: boolean }[]): Map<number, string> {
  const out = new Map<number, string>();
  let offset = 0;
  for (const s of segments) {
    if (s.special) out.set(offset, s.text);
    offset += s.text.length;
  }
  return out;
}

describe("markers on the server", { skip }, () => {
  const family = MODEL_FAMILIES.find((f) => f.id === "qwen3")!;
  let server: RunningLlamaServer;
  let engine: ServerEngine;
  before(async () => {
    const scratch = await mkdtemp(join(tmpdir(), "itu-server-markers-"));
    const model = join(scratch, "qwen3.gguf");
    await writeTinyModel({ arch: family.arch, seed: 3, path: model, dModel: 64, layers: 2, specialTokens: family.specialTokens, chatTemplate: readTemplate(dir!, family)! });
    server = await startLlamaServer(REPO_ROOT, { model, slots: 2, slotContext: 32768 });
    engine = await ServerEngine.connect(server.url);
  });
  after(async () => { await server?.kill(); });

  /** The output as the tokens came: runs of ordinary tokens as text, the markers' tokens as special. */
  async function tokenSegments(tokens: readonly number[], ids: ReadonlyMap<number, string>) {
    const segments: { text: string; special: boolean }[] = [];
    let run: number[] = [];
    const flush = async () => {
      if (run.length) segments.push({ text: await engine.server.detokenize(run), special: false });
      run = [];
    };
    for (const t of tokens) {
      if (!ids.has(t)) run.push(t);
      else {
        await flush();
        segments.push({ text: ids.get(t)!, special: true });
      }
    }
    await flush();
    return segments;
  }

  /** Twelve turns; per turn, the markers the syntax puts at the call's edges and how many came out as special tokens. */
  async function turns(asTokenReferences: boolean) {
    const choice = chooseFormat({ name: engine.model.name, chatTemplate: engine.props.chatTemplate });
    assert.equal(choice.format, family.format, choice.reason);
    const adapter = createAdapter(choice.format, choice.options);
    const ids = new Map<number, string>();
    for (const m of adapter.markers) {
      const tokens = await engine.server.tokenize(m, true);
      if (tokens.length === 1) ids.set(tokens[0]!, m);
    }
    const stream = await engine.openStream(asTokenReferences ? { markers: adapter.markers } : {});
    const grammar = adapter.grammar(toolDefinitions, { maxStringChars: 48, maxBodyLines: 4, maxBodyLineChars: 60, maxThinkingLines: 2 });
    let expected = 0;
    let asTokens = 0;
    try {
      for (const s of [...adapter.preambleSegments(toolDefinitions), ...adapter.taskSegments("Fix add() in src/math.ts.")]) await stream.append(s.text, { special: s.special });
      for (let turn = 0; turn < 12; turn++) {
        await stream.append(adapter.turnPrefix, { special: true });
        const out = await stream.generate({ grammar, maxTokens: 3000, temperature: 0.8, seed: 40 + turn });
        assert.equal(out.stopReason, "end", `turn ${turn} was cut: ${out.text.slice(-200)}`);
        const parsed = adapter.parse(out.text, toolDefinitions);
        assert.ok(!isParseError(parsed), `turn ${turn}: ${out.text.slice(0, 300)}`);
        const edges = markerOffsets(adapter.callSegments(out.text).map((s) => ({ ...s, special: s.special && adapter.markers.includes(s.text) })));
        const emitted = markerOffsets(await tokenSegments(out.tokens, ids));
        expected += edges.size;
        asTokens += [...edges].filter(([offset, text]) => emitted.get(offset) === text).length;
        const observation = { ok: true, text: `ran ${parsed.tool}` };
        for (const s of adapter.observationSegments(observation, out.text)) await stream.append(s.text, { special: s.special });
      }
    } finally {
      await stream.dispose();
    }
    return { expected, asTokens };
  }

  // At the call's edges, where the syntax puts a marker. Inside free text (a thinking line, a string)
  // llama.cpp's grammar matches a special token by its text, so the model may still sample one
  // there: the in-process marker guard bans that; llama-server has no per-position ban.
  it("generates every marker at the calls' edges in twelve turns as its one special token", async () => {
    const { expected, asTokens } = await turns(true);
    assert.ok(expected >= 24, `each turn opens and closes its call (${expected})`);
    assert.equal(asTokens, expected);
  });

  it("without the token references, ordinary pieces can spell a marker (what the grammar change prevents)", async () => {
    const { expected, asTokens } = await turns(false);
    assert.ok(asTokens < expected, `${asTokens} of ${expected} markers came as special tokens`);
  });
});
