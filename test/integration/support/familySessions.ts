// A session of one model family inside a real VS Code (the families-hermes and families-pythonic
// groups run it for Qwen3, hermes <tool_call>{json}</tool_call>, and LFM2.5, pythonic
// <|tool_call_start|>[f(a='x')]<|tool_call_end|>: two call syntaxes, one launch each, since an
// untrained model's turns run to the token limit and two families would not fit one launch's time).
// The model is a tiny random one written here with the family's real chat template (read from
// ../shared/model-families, never copied) and its special tokens as control tokens.
//
// A replay spends no tokens and never touches a model; the product renders a replayed session
// through the family's adapter when the model continues it: a resume without a snapshot rebuilds
// the model's stream from the trace. So a replayed script runs to its exact file bytes and commits,
// then the family's model resumes it for a few budget-limited steps. The model host's stream (every
// append and generation, read off the client the extension itself uses) then equals, byte for byte,
// what the template renders for the replayed conversation; every turn is generated under the
// family's grammar, every output that ended parses in the family's syntax, and the markers in the
// outputs are one special-token id each; the task panel's format line names the family's format
// and why. Tiny random weights prove the machinery, never competence.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { chooseFormat, createAdapter, FORMAT_TABLE, formatLine, isParseError, type FormatChoice } from "../../../extension/core/prompt";
import { templateSystemText } from "../../../extension/core/prompt/adapters";
import { toolSchemas } from "../../../extension/core/prompt/toolDocs";
import { formatCallLine } from "../../../extension/core/sessions/traceFormat";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import type { ToolCall } from "../../../extension/core/tools/types";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { buildByteVocabulary } from "../../models/byteTokenizer";
import { familiesDir, MODEL_FAMILIES, readTemplate, type ModelFamily } from "../../models/families";
import { writeTinyModel } from "../../models/tinyModel";
import { activate, setting, showPanel } from "./vscode";

const workspace = process.env.ITU_WORKSPACE ?? "";
const runDir = process.env.ITU_RUN_DIR ?? "";
const repoRoot = process.env.ITU_REPO_ROOT ?? "";
const TASK = "Make greet() say Hello instead of Hi";

// The replayed script: no finish, so that the step budget stops it and the model can continue.
// Bodies and arguments carry quotes, tabs and non-ASCII text: code stays raw text in either syntax.
const PLAN = "# Plan\n\t\"Hello\", not 'Hi' — naïve 日本語\n";
const GREET = 'export function greet(name) {\n  return "Hello " + name;\n}\n';
const REPLAY: readonly ToolCall[] = [
  { tool: "outline", args: { path: "src" } },
  { tool: "create_file", args: { path: "notes/plan.md" }, body: PLAN },
  { tool: "replace_range", args: { path: "src/greet.js", start: 2, end: 2, start_text: "  return", end_text: "  return" }, body: '  return "Hello " + name;\n' },
  { tool: "open_range", args: { path: "src/greet.js", start: 1, end: 3 } },
  { tool: "rename_file", args: { path: "notes/plan.md", to: "notes/done \"plan\" 'v1'.md" } },
];
const CHANGING_STEPS = 3;
const MODEL_STEPS = 2;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: workspace, encoding: "utf8" });
}

/** What went into one model-host sequence, in order: appended text and generated text. */
interface StreamPiece {
  readonly kind: "append" | "generate";
  readonly text: string;
  readonly special: boolean;
  /** Tokens the host counted for an append; the token ids of a generation. */
  readonly appendedTokens?: number;
  readonly tokens?: readonly number[];
  /** The grammar a generation ran under. */
  readonly grammar?: string;
}



/** A cut turn says so in its observation (core/agent/modelPolicy.ts). */
const CUT_AT_TOKEN_LIMIT = /the turn reached its \d+-token limit/;

/** The suite for one family of test/models/families.ts; `formatLine` is the panel line it must show. */
export function familySessionSuite(id: string, expectedFormat: string): void {
  const family = MODEL_FAMILIES.find((f) => f.id === id);
  if (!family) throw new Error(`no model family "${id}" in test/models/families.ts`);
  const dir = familiesDir(repoRoot);
  if (!dir) console.log(`${id}: ../shared/model-families is missing; skipping the ${id} sessions (CI=true makes this a failure)`);

  (dir ? describe : describe.skip)(`a ${id} session (${expectedFormat}) in VS Code`, function () {
    this.timeout(240_000);
    let api: ExtensionApi;
    let userHead = "";
    let template = "";
    let modelPath = "";
    let sessionId = "";
    const streams = new Map<string, StreamPiece[]>();
    const scriptPath = join(runDir, "families-replay.jsonl");
    const settings: readonly (readonly [string, string, unknown])[] = [
      // Greedy: a random model's turns are the same on every run (they still run to the token limit).
      ["infiniteToolUse.sampling", "temperature", 0],
      ["infiniteToolUse.budget", "repeatLimit", 10],
      // The fixture's Markdown would add the prose pack's tools; the template's tool list is the code tools'.
      ["infiniteToolUse.tools", "prose", "off"],
      ["infiniteToolUse.tools", "cad", "off"],
    ];

    before(async () => {
      git("init", "-q", "-b", "main");
      git("add", "-A");
      git("commit", "-qm", "Greeter");
      userHead = git("rev-parse", "HEAD").trim();
      writeFileSync(scriptPath, REPLAY.map((call) => `${formatCallLine(call)}\n`).join(""));
      template = readTemplate(dir!, family)!;
      modelPath = join(runDir, `tiny-${id}.gguf`);
      await writeTinyModel({ arch: family.arch, seed: 3, path: modelPath, dModel: 64, layers: 2, specialTokens: family.specialTokens, chatTemplate: template });
      api = await activate();
      await showPanel(api);
      for (const [section, key, value] of settings) await setting(section, key, value);
      // Notes what the extension sends to the model host and what comes back; the calls run as they are.
      const client = api.model.client;
      const piecesOf = (session: string) => streams.get(session) ?? streams.set(session, []).get(session)!;
      const append = client.append.bind(client);
      client.append = async (...args) => {
        const result = await append(...args);
        piecesOf(args[0].sessionId).push({ kind: "append", text: args[0].text, special: args[0].special === true, appendedTokens: result.appendedTokens });
        return result;
      };
      const generate = client.generate.bind(client);
      client.generate = async (...args) => {
        const result = await generate(...args);
        piecesOf(args[0].sessionId).push({ kind: "generate", text: result.text, special: false, tokens: result.tokens, ...(args[0].grammar !== undefined ? { grammar: args[0].grammar } : {}) });
        return result;
      };
    });

    after(async () => {
      for (const [section, key] of [...settings, ["infiniteToolUse.budget", "maxSteps"] as const]) await setting(section, key, undefined);
    });

    it("runs a replayed script to the exact file bytes, one commit per changing step", async () => {
      await setting("infiniteToolUse.budget", "maxSteps", REPLAY.length);
      const running = await api.workbench.start(TASK, { replay: scriptPath });
      const end = await running.done;
      assert.equal(end.reason, "budget", end.message);
      assert.equal(end.steps, REPLAY.length);
      assert.equal(running.model, undefined, "a replay drives no model");
      const branch = running.session.branch;
      sessionId = running.session.id;
      assert.equal(git("show", `${branch}:src/greet.js`), GREET);
      assert.equal(git("show", `${branch}:notes/done "plan" 'v1'.md`), PLAN);
      assert.deepEqual(git("ls-tree", "-r", "-z", "--name-only", branch, "notes").split("\0").filter(Boolean), [`notes/done "plan" 'v1'.md`]);
      const trace = await running.session.readTrace();
      assert.deepEqual(trace.steps.map((s) => s.call.tool), REPLAY.map((c) => c.tool));
      for (const step of trace.steps) assert.equal(step.observation.ok, true, `step ${step.step}: ${step.observation.text}`);
      const commits = git("rev-list", "--reverse", `${userHead}..${branch}`).split("\n").filter(Boolean);
      assert.equal(commits.length, CHANGING_STEPS);
      assert.deepEqual(commits, trace.steps.flatMap((s) => (s.commit ? [s.commit] : [])));
      const info = (await (await api.sessions.stores())[0]!.list()).find((s) => s.id === sessionId);
      assert.equal(info?.status, "active");
    });

    it(`continues it on the ${id} model: the replay rendered in its template, every turn under its grammar, markers as single special tokens`, async () => {
      assert.ok(sessionId, "the replayed session did not run");
      const choice = chooseFormat({ architecture: family.arch, name: `tiny-${id}.gguf`, specialTokens: family.specialTokens, chatTemplate: template });
      assert.equal(choice.format, expectedFormat, choice.reason);
      const adapter = createAdapter(choice.format, choice.options);
      assert.equal(adapter.framing, "template");

      // Budgets count a run's own steps.
      await setting("infiniteToolUse.budget", "maxSteps", MODEL_STEPS);
      const resumed = await api.workbench.resume(sessionId, { model: modelPath });
      const end = await resumed.done;
      assert.equal(resumed.resumedAfterStep, REPLAY.length);
      // No snapshot: the stream is rebuilt from the start (the preamble, the task, every replayed step).
      assert.equal(resumed.snapshotStep, undefined, "a replay leaves no model snapshot");
      assert.ok(resumed.modelSessionId, "the resumed session has no model stream");
      assert.ok(end.reason === "budget" || end.reason === "repeat", `the session must stop unfinished: ${end.reason}: ${end.message}`);
      assert.equal(end.steps, REPLAY.length + MODEL_STEPS);

      // The model host's stream up to the model's first turn is the template's rendering of the
      // replayed conversation, byte for byte (the turn prefix is the generation prompt).
      const pieces = streams.get(resumed.modelSessionId) ?? [];
      const generations = pieces.filter((p) => p.kind === "generate");
      // One generation per step, two where thinking filled the turn and the call got its own.
      assert.ok(generations.length >= MODEL_STEPS && generations.length <= 2 * MODEL_STEPS, `${generations.length} generations for ${MODEL_STEPS} steps`);
      const replayed = pieces.slice(0, pieces.indexOf(generations[0]!)).map((p) => p.text).join("");
      const trace = (await resumed.session.readTrace()).steps;
      assert.equal(replayed, renderConversation(template, choice, trace.slice(0, REPLAY.length)));
      assertMarkersSingleTokens(family, adapter.markers, pieces);

      // Every turn was generated under the family's grammar (or, after thinking that filled the turn
      // was closed for the model, its call-only grammar). An output that ended parses in the family's
      // syntax; one cut by the turn's token limit (an untrained model rarely ends a call: VS Code
      // sessions put no bounds in the grammar) opens with a family marker, a prefix of the grammar by
      // construction. Each marker the syntax puts in an output is that marker's one id, except the
      // </think> the thinking budget appended (a special token too, but not the model's).
      const grammars = new Set([adapter.grammar(toolDefinitions), adapter.grammar(toolDefinitions, undefined, { thinking: false })]);
      for (const generation of generations) assert.ok(grammars.has(generation.grammar ?? ""), "a turn was generated under another grammar");
      assert.equal(generations[0]!.grammar, adapter.grammar(toolDefinitions));
      const vocabulary = buildByteVocabulary(family.specialTokens).tokens;
      const markers = adapter.markers.filter((m) => family.specialTokens.includes(m));
      const modelSteps = trace.slice(REPLAY.length);
      assert.equal(modelSteps.length, MODEL_STEPS);
      for (const step of modelSteps) {
        const output = step.output;
        assert.ok(output && output.tokens.length > 0, `step ${step.step} has no model output`);
        const parsed = adapter.parse(output.text, toolDefinitions);
        if (CUT_AT_TOKEN_LIMIT.test(step.observation.text)) {
          assert.ok(markers.includes(vocabulary[output.tokens[0]!] ?? ""), `step ${step.step} opens with token ${output.tokens[0]}, not a ${expectedFormat} marker: ${JSON.stringify(output.text.slice(0, 80))}`);
        } else {
          assert.ok(!isParseError(parsed), `step ${step.step} does not parse as ${expectedFormat}: ${JSON.stringify(parsed)} in ${JSON.stringify(output.text.slice(0, 400))}`);
        }
        const inSyntax = adapter.callSegments(output.text).filter((s) => s.special && markers.includes(s.text)).map((s) => s.text);
        assert.ok(inSyntax.length >= 1, `step ${step.step}: no ${expectedFormat} marker in ${JSON.stringify(output.text.slice(0, 200))}`);
        const markerIds = output.tokens.filter((t) => markers.includes(vocabulary[t] ?? "")).map((t) => vocabulary[t]);
        const closedForIt = output.text.includes("\n</think>\n\n") && !markerIds.includes("</think>");
        const expected = closedForIt ? inSyntax.filter((m, i) => !(m === "</think>" && i === inSyntax.indexOf("</think>"))) : inSyntax;
        if (closedForIt) assert.ok(pieces.some((p) => p.kind === "append" && p.text === "</think>"), `step ${step.step}: a closed thinking block the stream never got`);
        assert.deepEqual(markerIds, expected, `step ${step.step}: the markers must be single special tokens, in order`);
      }
      const commits = git("rev-list", "--reverse", `${userHead}..${resumed.session.branch}`).split("\n").filter(Boolean);
      assert.deepEqual(commits, trace.flatMap((s) => (s.commit ? [s.commit] : [])));

      // The panel shows the chosen format and why.
      assert.equal(api.taskPanel.state.snapshot().model?.format, formatLine(choice));
      const view = await api.taskPanel.testWebview({ kind: "describe" });
      assert.equal(view.modelFormatText, formatLine(choice));
      assert.ok(view.modelFormatText.startsWith(`format ${expectedFormat} — chosen because the chat template contains `), view.modelFormatText);
    });

    it("left the user's branch, index and files as they were", () => {
      assert.equal(git("rev-parse", "HEAD").trim(), userHead);
      assert.equal(git("status", "--porcelain"), "");
    });
  });
}

/** What the family's template renders for the replayed steps' conversation, with the generation prompt. */
function renderConversation(template: string, choice: FormatChoice, steps: readonly { call: ToolCall; observation: { text: string } }[]): string {
  const adapter = createAdapter(choice.format, choice.options);
  const row = FORMAT_TABLE.find((r) => r.format === choice.format)!;
  const messages: { role: string; content: string }[] = [
    { role: "system", content: templateSystemText(choice.format) + (row.template?.systemSuffix ?? "") },
    { role: "user", content: TASK },
  ];
  for (const step of steps) messages.push({ role: "assistant", content: adapter.render(step.call, toolDefinitions) }, { role: "tool", content: step.observation.text });
  return new Template(template).render({ messages, tools: toolSchemas(toolDefinitions), add_generation_prompt: true, bos_token: "", eos_token: "" });
}

/** A marker appended on its own (a call's edges) is counted by the host as one token. */
function assertMarkersSingleTokens(family: ModelFamily, markers: readonly string[], pieces: readonly StreamPiece[]): void {
  const alone = pieces.filter((p) => p.kind === "append" && markers.includes(p.text) && family.specialTokens.includes(p.text));
  assert.ok(alone.length >= 2 * REPLAY.length, `the replayed calls' markers went in as ${alone.length} separate pieces`);
  for (const piece of alone) {
    assert.equal(piece.special, true, `${piece.text} was appended as plain text`);
    assert.equal(piece.appendedTokens, 1, `${piece.text} took ${piece.appendedTokens} tokens`);
  }
}
