// The training export on the real runtime: a session run by each tiny model family through the
// agent loop and ModelPolicy; its export, re-tokenised span by span with the same model, must give
// exactly the ids of the session's own stream. A replay of the same calls exports the same role
// spans. Both export and from-git formats have schema checks that can fail.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { runAgentLoop } from "../../../extension/core/agent/loop";
import { invalidOutputTool, ModelPolicy } from "../../../extension/core/agent/modelPolicy";
import { ReplayPolicy } from "../../../extension/core/agent/replayPolicy";
import type { RecordedStep, StepRecord, StepRecorder } from "../../../extension/core/agent/types";
import { chooseFormat, createAdapter, type ProtocolAdapter } from "../../../extension/core/prompt";
import type { Trace, TraceStep } from "../../../extension/core/sessions/traceFormat";
import { findTool, toolDefinitions } from "../../../extension/core/tools/definitions";
import { createToolExecutor } from "../../../extension/core/tools/registry";
import { sessionTools } from "../../../extension/core/tools/sessionTools";
import { exportRecordProblems, modelWrittenRoles } from "../../../extension/core/training/exportFormat";
import { exportSession } from "../../../extension/core/training/exportSession";
import { loadModel, type EngineModel } from "../../../native/engine/index";
import { ALL_ARCHITECTURES } from "../../models/architectures";
import { tinyModel } from "../native/tinyModels";

const limits = { maxStringChars: 24, maxBodyLines: 3, maxBodyLineChars: 30, maxThinkingLines: 2 };
const task = "Fix the greeting in src/greet.ts";

class TraceRecorder implements StepRecorder {
  readonly steps: TraceStep[] = [];
  async recordStep(step: RecordedStep): Promise<StepRecord> {
    const call = step.call ?? { tool: invalidOutputTool, args: {}, body: step.raw ?? "" };
    // As the host's session recorder does: the model's own output goes into the trace.
    const output = step.output ? { output: { text: step.output.text, tokens: [...step.output.tokens] } } : {};
    this.steps.push({ type: "step", step: step.step, call, effect: findTool(call.tool)?.effect ?? "reads", observation: step.observation, ...output, at: new Date(0).toISOString() });
    return {};
  }
  snapshotPath(): undefined {
    return undefined;
  }
}

function traceOf(steps: readonly TraceStep[], finished: boolean): Trace {
  return {
    header: { type: "header", version: 1, sessionId: "2026-12-03-export", branch: "infinite/2026-12-03-export", task, base: { ref: "main", commit: "0".repeat(40) }, createdAt: new Date(0).toISOString() },
    steps,
    ...(finished ? { end: { type: "end" as const, summary: "done", at: new Date(0).toISOString() } } : {}),
  };
}

const executor = () => createToolExecutor({ implementations: sessionTools(), session: { goal: task, notes: "" }, isTrusted: () => true });

async function runSession(policy: ModelPolicy | ReplayPolicy, maxSteps: number): Promise<Trace> {
  const recorder = new TraceRecorder();
  const end = await runAgentLoop({ task, tools: toolDefinitions, policy, executor: executor(), recorder, budgets: { maxSteps, maxTokens: 1_000_000, maxMs: 300_000, repeatLimit: 1000 } });
  return traceOf(recorder.steps, end.reason === "finished");
}

describe("training export", () => {
  const models: EngineModel[] = [];
  after(async () => {
    for (const m of models) await m.dispose();
  });

  const cases = [...ALL_ARCHITECTURES.map((arch) => ({ arch, format: undefined as "hermes" | undefined })), { arch: "mamba2" as const, format: "hermes" as const }];
  for (const { arch, format } of cases) {
    it(`${arch}${format ? `, ${format} format` : ""}: the export re-tokenises to exactly the session stream's ids, and a replay exports the same role spans`, async () => {
      const model = await loadModel({ path: await tinyModel(arch), gpu: false, threads: 1 });
      models.push(model);
      const choice = chooseFormat({ architecture: model.info.architecture, ...(model.info.chatTemplate ? { chatTemplate: model.info.chatTemplate } : {}) }, format ?? "auto");
      const adapter: ProtocolAdapter = createAdapter(choice.format, choice.options);
      const session = await model.createSession({ contextSize: 8192 });
      const trace = await runSession(new ModelPolicy(adapter, session, { temperature: 0.8, seed: 3, maxTokensPerTurn: 512, grammarLimits: limits }), 4);
      assert.ok(trace.steps.length >= 1);
      const record = exportSession(trace, { adapter, tools: toolDefinitions, tokenize: (text, special) => model.tokenize(text, special), model: { file: `${arch}.gguf`, architecture: model.info.architecture } });
      assert.deepEqual(exportRecordProblems(JSON.parse(JSON.stringify(record))), []);
      const exported = record.spans.flatMap((s) => [...(s.tokens ?? [])]);
      const stream = session.tokens();
      const firstDifference = exported.findIndex((t, i) => t !== stream[i]);
      assert.equal(firstDifference === -1 && exported.length === stream.length, true, `export ${exported.length} ids vs stream ${stream.length}; first difference at ${firstDifference} (${JSON.stringify(model.detokenize(stream.slice(Math.max(0, firstDifference - 3), firstDifference + 3)))})`);
      assert.equal(record.spans[0]!.role, "preamble");
      assert.equal(record.spans[1]!.role, "task");
      assert.ok(record.spans.some((s) => modelWrittenRoles.includes(s.role)), "the model's own calls are labelled");

      // The same calls replayed: the same spans, role by role and text by text.
      const replayed = await runSession(new ReplayPolicy(trace.steps.map((s) => s.call)), trace.steps.length);
      const again = exportSession(replayed, { adapter, tools: toolDefinitions });
      assert.deepEqual(exportRecordProblems(JSON.parse(JSON.stringify(again))), []);
      assert.deepEqual(again.spans.map((s) => [s.role, s.text]), record.spans.map((s) => [s.role, s.text]));
    });
  }

  it("the schema check finds what is wrong with a broken record", () => {
    const good = exportSession(traceOf([], false), { adapter: createAdapter("plain"), tools: toolDefinitions });
    assert.deepEqual(exportRecordProblems(good), []);
    const broken = { ...good, version: 2, text: `${good.text}x`, spans: [...good.spans, { role: "assistant", text: "", special: false }] };
    const problems = exportRecordProblems(broken);
    assert.ok(problems.some((p) => /version is not 1/.test(p)));
    assert.ok(problems.some((p) => /role assistant is not one of/.test(p)));
    assert.ok(problems.some((p) => /not the spans' texts concatenated/.test(p)));
  });
});
