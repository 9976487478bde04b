// The loop with the model policy on the real runtime: a tiny generated mamba2 model in llama.cpp
// (native/engine/), a real protocol adapter, the real session tools. The model is untrained, so what
// it calls is noise; what is checked is the loop around it: every turn is a valid call (the grammar
// holds), the loop's token count equals every token the engine reported appending or generating, a
// state snapshot exists after every step.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runAgentLoop } from "../../../extension/core/agent/loop";
import { ModelPolicy } from "../../../extension/core/agent/modelPolicy";
import type { ModelStream } from "../../../extension/core/agent/modelStream";
import type { AgentEvent, RecordedStep, StepRecord, StepRecorder } from "../../../extension/core/agent/types";
import { createAdapter } from "../../../extension/core/prompt/adapters";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { createToolExecutor } from "../../../extension/core/tools/registry";
import { sessionTools } from "../../../extension/core/tools/sessionTools";
import { loadModel, type EngineModel, type EngineSession } from "../../../native/engine/index";
import { tinyModel } from "../native/tinyModels";

const limits = { maxStringChars: 24, maxBodyLines: 4, maxBodyLineChars: 40, maxThinkingLines: 2 };

/** Sums what the engine itself reports for each append and generation. */
function countingSession(session: EngineSession): { session: ModelStream; reported: () => number } {
  let reported = 0;
  const counted: ModelStream = {
    async append(text, options) {
      const result = await session.append(text, options);
      reported += result.appendedTokens;
      return result;
    },
    async generate(options) {
      const result = await session.generate(options);
      reported += result.tokens.length;
      return result;
    },
    saveState: (file) => session.saveState(file),
    loadState: (file) => session.loadState(file),
    dispose: () => session.dispose(),
  };
  return { session: counted, reported: () => reported };
}

class SnapshotRecorder implements StepRecorder {
  readonly steps: RecordedStep[] = [];
  constructor(private readonly dir: string) {}
  async recordStep(step: RecordedStep): Promise<StepRecord> {
    this.steps.push(step);
    return {};
  }
  snapshotPath(step: number): string {
    return join(this.dir, `step-${step}.state`);
  }
}

describe("agent loop on a real tiny model", () => {
  const models: EngineModel[] = [];
  const dir = mkdtempSync(join(tmpdir(), "itu-agent-"));
  after(async () => {
    for (const m of models) await m.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const format of ["plain", "hermes"] as const) {
    it(`mamba2, ${format} format: 6 grammar-bound turns, tokens accounted exactly, a snapshot per step`, async () => {
      const model = await loadModel({ path: await tinyModel("mamba2"), gpu: false });
      models.push(model);
      const engineSession = await model.createSession();
      const { session, reported } = countingSession(engineSession);
      const recorder = new SnapshotRecorder(mkdtempSync(join(dir, format)));
      const events: AgentEvent[] = [];
      const end = await runAgentLoop({
        task: "Fix the greeting in src/greet.ts",
        tools: toolDefinitions,
        policy: new ModelPolicy(createAdapter(format), session, { temperature: 0.8, seed: 7, maxTokensPerTurn: 2048, grammarLimits: limits }),
        executor: createToolExecutor({ implementations: sessionTools(), session: { goal: "Fix the greeting", notes: "" }, isTrusted: () => true }),
        recorder,
        budgets: { maxSteps: 6, maxTokens: 1_000_000, maxMs: 120_000, repeatLimit: 3 },
        onEvent: (e) => events.push(e),
      });
      assert.ok(["finished", "budget", "repeat"].includes(end.reason), `${end.reason}: ${end.message}`);
      const steps = events.filter((e) => e.type === "stepFinished");
      assert.ok(steps.length >= 1 && steps.length <= 6);
      for (const step of steps) assert.notEqual(step.type === "stepFinished" && step.tool, "(invalid)", "the grammar admits only valid calls");
      assert.equal(end.tokens, reported(), "the loop counts every token the engine reported, and no other");
      // Measured, not asserted: the engine's own sequence length (see the report on generate()).
      const drift = engineSession.tokenCount - end.tokens;
      for (const step of recorder.steps) {
        const file = join(recorder.snapshotPath(step.step));
        assert.ok(existsSync(file) && statSync(file).size > 0, `no state snapshot after step ${step.step}`);
      }
      const meters = events.filter((e) => e.type === "meters").at(-1);
      console.log(`    ${format}: ${end.reason} after ${end.steps} steps, ${end.tokens} tokens, ${end.elapsedMs} ms; ${meters?.type === "meters" ? meters.meters.tokensPerSecond.toFixed(0) : "?"} tokens/s; engine tokenCount - counted = ${drift}`);
    });
  }
});
