// Resume on the real runtime: a tiny mamba2 model in llama.cpp (native/engine/) runs the loop for a
// few steps with a snapshot after each; then fresh model sessions continue it the ways resume can
// (the last snapshot; an older snapshot plus the later steps re-appended; no snapshot at all), and
// their next-token logits are compared with those of the session that was never interrupted.
// Re-appending writes a call's text, and an untrained model's own tokens for that text differ (BPE
// merges, bytes that are not UTF-8), so the exact comparison of the re-append path uses a scripted
// "model" whose turns are appended as text; the llama.cpp state, snapshots and tools are all real.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runAgentLoop } from "../../../extension/core/agent/loop";
import { invalidOutputTool, ModelPolicy, type SamplingOptions } from "../../../extension/core/agent/modelPolicy";
import type { ModelStream } from "../../../extension/core/agent/modelStream";
import { planResume, type RecordedTurn } from "../../../extension/core/agent/resume";
import type { RecordedStep, StepRecord, StepRecorder } from "../../../extension/core/agent/types";
import { createAdapter } from "../../../extension/core/prompt/adapters";
import type { ProtocolAdapter } from "../../../extension/core/prompt/types";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { createToolExecutor } from "../../../extension/core/tools/registry";
import { sessionTools } from "../../../extension/core/tools/sessionTools";
import { loadModel, type EngineModel, type EngineSession } from "../../../native/engine/index";
import { tinyModel } from "../native/tinyModels";

const TASK = "Fix the greeting in src/greet.ts";
const STEPS = 4;
// Without finish in the grammar the untrained model cannot end the session before its budget.
const tools = toolDefinitions.filter((t) => t.effect !== "ends");
const sampling: SamplingOptions = { temperature: 0, seed: 0, maxTokensPerTurn: 256, grammarLimits: { maxStringChars: 16, maxBodyLines: 2, maxBodyLineChars: 24, maxThinkingLines: 1 } };

/** Records steps as the session store does (an unparsed output as the invalid_output pseudo-call)
 * and names one snapshot file per step. */
class TraceRecorder implements StepRecorder {
  readonly turns: RecordedTurn[] = [];
  constructor(private readonly dir: string) {}
  async recordStep(step: RecordedStep): Promise<StepRecord> {
    this.turns.push({ call: step.call ?? { tool: invalidOutputTool, args: {}, body: step.raw ?? "" }, observation: step.observation });
    return {};
  }
  snapshotPath(step: number): string {
    return join(this.dir, `${step}.bin`);
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length, "logit vectors differ in length");
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue; // equal infinities included
    max = Math.max(max, Math.abs(a[i]! - b[i]!));
  }
  return max;
}

describe("resuming a session on a real tiny model", () => {
  const dir = mkdtempSync(join(tmpdir(), "itu-resume-"));
  const adapter: ProtocolAdapter = createAdapter("plain");
  let model: EngineModel;
  let recorder: TraceRecorder;
  let uninterruptedTokens: number[];
  let uninterruptedLogits: Float32Array;

  before(async () => {
    model = await loadModel({ path: await tinyModel("mamba2"), gpu: false });
    const original = await model.createSession();
    recorder = new TraceRecorder(dir);
    const end = await runAgentLoop({
      task: TASK,
      tools,
      policy: new ModelPolicy(adapter, original, sampling),
      executor: createToolExecutor({ implementations: sessionTools(), session: { goal: TASK, notes: "" }, isTrusted: () => true }),
      recorder,
      budgets: { maxSteps: STEPS, maxTokens: 1_000_000, maxMs: 120_000, repeatLimit: 10 },
    });
    assert.equal(end.reason, "budget", `the session must stop unfinished at its step budget: ${end.reason}: ${end.message}`);
    assert.equal(recorder.turns.length, STEPS);
    uninterruptedTokens = original.tokens();
    uninterruptedLogits = await original.nextTokenLogits();
  });

  after(async () => {
    await model?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function resumed(snapshotStep: number | undefined): Promise<{ session: EngineSession; tokens: number }> {
    const session = await model.createSession();
    if (snapshotStep !== undefined) await session.loadState(recorder.snapshotPath(snapshotStep));
    const plan = planResume(recorder.turns, snapshotStep);
    const { tokens } = await new ModelPolicy(adapter, session, sampling).resume({ task: TASK, tools, signal: new AbortController().signal, ...plan });
    return { session, tokens };
  }

  it("the last step's snapshot gives exactly the uninterrupted next-token logits", async () => {
    const { session, tokens } = await resumed(STEPS);
    assert.equal(tokens, 0, "nothing is re-appended when the snapshot is of the last step");
    assert.deepEqual(session.tokens(), uninterruptedTokens);
    assert.equal(maxAbsDiff(await session.nextTokenLogits(), uninterruptedLogits), 0);
  });

  it("an older snapshot + the later steps re-appended: the same history as text (bytes that were not UTF-8 aside)", async () => {
    const { session, tokens } = await resumed(2);
    assert.ok(tokens > 0, "steps 3-4 were re-appended");
    const withoutReplacements = (tokens: number[]) => model.detokenize(tokens).replaceAll("\uFFFD", "");
    assert.equal(withoutReplacements(session.tokens()), withoutReplacements(uninterruptedTokens));
  });
});

/** Scripted turns: generate() appends the next call's text, as a model whose tokens are the text's. */
class ScriptedModelStream implements ModelStream {
  private position = 0;
  constructor(
    private readonly engine: EngineSession,
    private readonly outputs: readonly string[],
  ) {}
  append(text: string, options?: { special?: boolean; signal?: AbortSignal }) {
    return this.engine.append(text, options);
  }
  async generate() {
    const text = this.outputs[this.position++] ?? "@goal";
    const appended = await this.engine.append(text);
    return { text, tokens: new Array<number>(appended.appendedTokens).fill(0), ms: appended.ms, stopReason: "end" };
  }
  saveState(file: string) {
    return this.engine.saveState(file);
  }
  loadState(file: string) {
    return this.engine.loadState(file);
  }
  dispose() {
    return this.engine.dispose();
  }
}

// mamba2 as issue 5 asks; rwkv6 because the tiny mamba2 forgets within a few tokens (its random decay
// rates are steep), so only a model with a longer memory shows that a far-back difference is caught.
for (const arch of ["mamba2", "rwkv6"] as const) describe(`re-appending recorded steps after an older snapshot, on a real tiny ${arch}`, () => {
  const dir = mkdtempSync(join(tmpdir(), "itu-reappend-"));
  const adapter = createAdapter("plain");
  // Notes, a call that fails, output that does not parse, non-ASCII text, a body: each kind of turn.
  const outputs = ['@notes action="write"\n<<<BODY\nplan: read greet.ts\nBODY>>>', '@open_range path="src/grüß.ts"', "no call here", '@notes action="append"\n<<<BODY\nthen fix it\nBODY>>>', '@notes action="read"', "@goal"];
  let model: EngineModel;
  let recorder: TraceRecorder;
  let uninterruptedLogits: Float32Array;
  let uninterruptedTokens: number[];

  before(async () => {
    model = await loadModel({ path: await tinyModel(arch), gpu: false });
    const engine = await model.createSession();
    recorder = new TraceRecorder(dir);
    const end = await runAgentLoop({
      task: TASK,
      tools,
      policy: new ModelPolicy(adapter, new ScriptedModelStream(engine, outputs), sampling),
      executor: createToolExecutor({ implementations: sessionTools(), session: { goal: TASK, notes: "" }, isTrusted: () => true }),
      recorder,
      budgets: { maxSteps: outputs.length, maxTokens: 1_000_000, maxMs: 120_000, repeatLimit: 10 },
    });
    assert.equal(end.reason, "budget", `${end.reason}: ${end.message}`);
    assert.deepEqual(recorder.turns.map((t) => t.call.tool), ["notes", "open_range", invalidOutputTool, "notes", "notes", "goal"]);
    uninterruptedTokens = engine.tokens();
    uninterruptedLogits = await engine.nextTokenLogits();
  });

  after(async () => {
    await model?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  // The tiny mamba2 gives identical logits here (measured: max |diff| 0), so only rwkv6 can show it.
  if (arch === "rwkv6") it("the comparison can fail: a history that differs only in its first step gives other logits", async () => {
    const session = await model.createSession();
    const plan = planResume(recorder.turns, undefined);
    const [first, ...rest] = plan.turns;
    const altered = [{ ...first!, observation: { ...first!.observation, text: `${first!.observation.text}!` } }, ...rest];
    await new ModelPolicy(adapter, session, sampling).resume({ task: TASK, tools, signal: new AbortController().signal, ...plan, turns: altered });
    const diff = maxAbsDiff(await session.nextTokenLogits(), uninterruptedLogits);
    assert.ok(diff > 1e-4, `max |logit diff| ${diff}`);
  });

  for (const snapshotStep of [1, 3, 5, undefined]) {
    const label = snapshotStep === undefined ? "no snapshot, every step re-appended" : `snapshot of step ${snapshotStep}, steps ${snapshotStep + 1}-${outputs.length} re-appended`;
    it(`${label}: the uninterrupted session's tokens and next-token logits`, async () => {
      const session = await model.createSession();
      if (snapshotStep !== undefined) await session.loadState(recorder.snapshotPath(snapshotStep));
      const plan = planResume(recorder.turns, snapshotStep);
      assert.equal(plan.turns.length, outputs.length - (snapshotStep ?? 0));
      assert.equal(plan.notes, "plan: read greet.ts\nthen fix it");
      await new ModelPolicy(adapter, session, sampling).resume({ task: TASK, tools, signal: new AbortController().signal, ...plan });
      assert.deepEqual(session.tokens(), uninterruptedTokens);
      const diff = maxAbsDiff(await session.nextTokenLogits(), uninterruptedLogits);
      assert.ok(diff <= 1e-4, `max |logit diff| ${diff}`);
    });
  }
});
