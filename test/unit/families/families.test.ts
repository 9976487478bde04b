// Each real model family of ../shared/model-families/ (reference templates, read from there, never
// copied): the format is chosen from the GGUF's template alone; the append-only stream of a 20-step
// replayed session equals, byte for byte, what the template renders for the whole conversation (or
// the documented deviation); and a tiny random model carrying the template and the family's special
// tokens gives valid calls in the family's syntax, its markers as single special tokens. Tiny random
// weights prove the machinery, never competence.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Template } from "@huggingface/jinja";
import { chooseFormat, createAdapter, FORMAT_TABLE, textOf, isParseError } from "../../../extension/core/prompt";
import { callProblems } from "../../../extension/core/tools/validate";
import { templateSystemText } from "../../../extension/core/prompt/adapters";
import { toolSchemas } from "../../../extension/core/prompt/toolDocs";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import type { Observation, ToolCall } from "../../../extension/core/tools/types";
import { familiesDir, MODEL_FAMILIES, readTemplate, writeTinyModel, type ModelFamily } from "../../models/generate";
import { runCli } from "../cli/runCli";

const dir = familiesDir();
if (!dir) console.log("families: ../shared/model-families is missing; skipping the model-family tests (CI=true makes this a failure)");

const CALLS: ToolCall[] = [
  { tool: "outline", args: { path: "src/a.ts" } },
  { tool: "create_file", args: { path: "notes/x.md" }, body: "# Notes\n\tindented \"quoted\" 'single'\nnaïve — 日本語" },
  { tool: "open_range", args: { path: "src/a.ts" } },
  { tool: "run_task", args: { name: "test" } },
  { tool: "rename_file", args: { path: "a.txt", to: "b \"q\" 'x'.txt" } },
];
const OBSERVATIONS: Observation[] = [
  { ok: true, text: "1: alpha\n2: <|im_end|> not a marker" },
  { ok: false, text: "no such file: src/b.ts" },
  { ok: true, text: "[] {} \"json\" 'quotes'" },
];

function hintsOf(family: ModelFamily, template: string | undefined) {
  return { architecture: family.arch, name: `tiny ${family.id}`, specialTokens: family.specialTokens, ...(template ? { chatTemplate: template } : {}) };
}

function callAt(i: number): ToolCall {
  return CALLS[i % CALLS.length]!;
}

describe("model families", { skip: !dir }, () => {
  it("uses only valid sample calls", () => {
    for (const call of CALLS) assert.deepEqual(callProblems(call, toolDefinitions), [], JSON.stringify(call));
  });

  for (const family of MODEL_FAMILIES) {
    const template = dir ? readTemplate(dir, family) : undefined;

    it(`${family.id}: the GGUF alone chooses the ${family.format} format`, () => {
      const choice = chooseFormat(hintsOf(family, template));
      assert.equal(choice.format, family.format, choice.reason);
      assert.deepEqual(choice.warnings, []);
      assert.equal(createAdapter(choice.format, choice.options).framing, template ? "template" : "rwkv");
    });

    if (!template) continue;
    it(`${family.id}: a 20-step replayed stream equals the template's rendering of the conversation`, () => {
      const choice = chooseFormat(hintsOf(family, template));
      const adapter = createAdapter(choice.format, choice.options);
      const task = "Fix the failing test in src/a.ts.";
      let stream = textOf(adapter.preambleSegments(toolDefinitions)) + textOf(adapter.taskSegments(task));
      const row = FORMAT_TABLE.find((r) => r.format === family.format)!;
      const messages: { role: string; content: string }[] = [
        { role: "system", content: templateSystemText(family.format as never) + (row.template?.systemSuffix ?? "") },
        { role: "user", content: task },
      ];
      for (let step = 0; step < 20; step++) {
        const call = adapter.render(callAt(step), toolDefinitions);
        const parsed = adapter.parse(call, toolDefinitions);
        assert.ok(!isParseError(parsed), JSON.stringify(parsed));
        const observation = OBSERVATIONS[step % OBSERVATIONS.length]!;
        stream += adapter.turnPrefix + call + textOf(adapter.observationSegments(observation, call));
        messages.push({ role: "assistant", content: call }, { role: "tool", content: observation.text });
      }
      stream += adapter.turnPrefix;
      const whole = new Template(template).render({ messages, tools: toolSchemas(toolDefinitions), add_generation_prompt: true, bos_token: "", eos_token: "" });
      // Documented deviation (Nemotron): the generation prompt opens each turn with <think></think>,
      // which the template drops when it re-renders earlier turns; the stream keeps what was appended.
      const deviation = family.format === "nemotron" ? dropPastThinkOpeners(stream) : stream;
      if (deviation !== whole) assert.equal(firstDifference(deviation, whole), "no difference");
      if (family.format !== "nemotron") assert.equal(stream, whole);
    });
  }
});

function dropPastThinkOpeners(stream: string): string {
  const opener = "<SPECIAL_11>Assistant\n<think></think>";
  const last = stream.lastIndexOf(opener);
  return stream.slice(0, last).replaceAll(opener, "<SPECIAL_11>Assistant\n") + stream.slice(last);
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `differs at ${i}: stream ${JSON.stringify(a.slice(i - 40, i + 80))} vs template ${JSON.stringify(b.slice(i - 40, i + 80))}`;
}

describe("model families on tiny models", { skip: !dir }, () => {
  let work = "";
  before(() => {
    work = mkdtempSync(join(tmpdir(), "itu-families-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));
  const turns = Number(process.env.ITU_FAMILY_TURNS ?? 3);

  for (const family of MODEL_FAMILIES) {
    it(`${family.id}: probe gives ${turns}/${turns} valid calls, markers as single special tokens`, { timeout: 900_000 }, async () => {
      const template = readTemplate(dir!, family);
      const path = join(work, `${family.id}.gguf`);
      await writeTinyModel({ arch: family.arch, seed: 3, path, dModel: 64, layers: 2, specialTokens: family.specialTokens, ...(template ? { chatTemplate: template } : {}) });
      const run = await runCli(["probe", path, "--turns", String(turns), "--json", "--threads", "1", "--seed", "5", "--temperature", "0.8"], 840_000);
      assert.equal(run.code, 0, run.stderr + run.stdout.slice(-2000));
      assert.equal(run.stderr, "", "no format warnings");
      const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      const summary = lines.at(-1)!;
      assert.equal(summary.format, family.format);
      assert.equal(summary.valid, turns);
      assert.equal(summary.framing, template ? "template" : "rwkv");
      const choice = chooseFormat(hintsOf(family, template));
      const adapter = createAdapter(choice.format, choice.options);
      const markers = adapter.markers.filter((m) => family.specialTokens.includes(m));
      // The syntax's markers in each turn (at the call's edges, not text inside an argument).
      const spelled = lines.slice(0, -1).reduce((n, l) => n + adapter.callSegments(l.raw as string).filter((s) => s.special && markers.includes(s.text)).length, 0);
      // Every marker in the turns' text came out as its one special token, never spelled out (fewer
      // tokens), and no marker's token appeared where the syntax puts no marker, such as a <think>
      // token inside thinking text (more tokens; the marker guard's gap, mended).
      assert.equal(summary.markerTokens, spelled);
      if (markers.length) assert.ok(spelled >= turns, `each turn has its markers (${spelled})`);
    });
  }
});
