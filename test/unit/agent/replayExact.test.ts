// A recorded session that contains invalid outputs replays exactly: each invalid output is recorded
// as the invalid_output pseudo-call carrying the raw text (as the session recorder does), and replay
// re-parses that text, so every replayed observation equals the recorded one. Real loop, real
// protocol adapters, real session tools.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { invalidOutputTool, notAToolCall } from "../../../extension/core/agent/modelPolicy";
import { runAgentLoop } from "../../../extension/core/agent/loop";
import { ReplayPolicy } from "../../../extension/core/agent/replayPolicy";
import { formatCallLine, ReplayScriptError } from "../../../extension/core/sessions/traceFormat";
import type { PolicyTurn } from "../../../extension/core/agent/types";
import { createAdapter } from "../../../extension/core/prompt/adapters";
import { isParseError, TOOL_CALL_FORMATS, type ToolCallFormat } from "../../../extension/core/prompt/types";
import { traceVersion } from "../../../extension/core/sessions/traceFormat";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { createToolExecutor } from "../../../extension/core/tools/registry";
import { sessionTools } from "../../../extension/core/tools/sessionTools";
import type { ToolCall } from "../../../extension/core/tools/types";
import { ListRecorder, options, ScriptedPolicy } from "./fakes";

function executor() {
  return createToolExecutor({ implementations: sessionTools(), session: { goal: "fix the greeting", notes: "" }, isTrusted: () => true });
}

/** What the model policy makes of a raw output in `format` (modelPolicy.ts: parse, else invalid). */
function modelTurn(format: ToolCallFormat, raw: string): PolicyTurn {
  const parsed = createAdapter(format).parse(raw, toolDefinitions);
  if (isParseError(parsed)) return { kind: "invalid", raw, error: notAToolCall(parsed.error), tokens: 1, ms: 1 };
  const { thinking: _thinking, ...call } = parsed;
  return { kind: "call", call, raw, tokens: 1, ms: 1 };
}

/** The calls as the session recorder keeps them: an unparsed output becomes the pseudo-call. */
function recordedCalls(recorder: ListRecorder): ToolCall[] {
  return recorder.steps.map((s) => s.call ?? { tool: invalidOutputTool, args: {}, body: s.raw ?? "" });
}

/** A session trace (docs/trace-format.md) of the recorded steps, observations included. */
function traceOf(recorder: ListRecorder): string {
  const calls = recordedCalls(recorder);
  return recorder.steps.map((s, i) => JSON.stringify({ type: "step", step: i + 1, call: calls[i], effect: "reads", observation: s.observation, at: "x" })).join("\n");
}

function callLines(recorder: ListRecorder): string {
  return recordedCalls(recorder).map(formatCallLine).join("\n");
}

describe("replaying invalid outputs", () => {
  for (const format of TOOL_CALL_FORMATS) {
    it(`gives the same invalid outputs the same errors (${format} format)`, async () => {
      const adapter = createAdapter(format);
      const valid = (call: ToolCall) => adapter.render(call, toolDefinitions);
      const raws = [
        "hello, I will now fix the file",
        valid({ tool: "goal", args: {} }),
        "<tool_call>\n{\"name\": \"open_range\"",
        valid({ tool: "notes", args: { action: "append" }, body: "n" }),
        // Parses, yet fails validation: an unknown action.
        valid({ tool: "notes", args: { action: "append" }, body: "n" }).replace("append", "shout"),
        "{\"tool\":\"goal\",\"args\":{}} trailing",
        valid({ tool: "finish", args: {}, body: "done" }),
      ];
      const recorder = new ListRecorder();
      const recorded = await runAgentLoop(options({ policy: new ScriptedPolicy(raws.map((raw) => modelTurn(format, raw))), executor: executor(), recorder }));
      assert.equal(recorded.reason, "finished");
      const invalid = recorder.steps.filter((s) => !s.call);
      assert.ok(invalid.length >= 3, `only ${invalid.length} invalid outputs were recorded`);
      assert.ok(invalid.every((s) => !/no tool "invalid_output"/.test(s.observation.text)));
      const trace = traceOf(recorder);

      for (const replay of [ReplayPolicy.fromTrace(trace, "t", { adapter }), ReplayPolicy.fromTrace(trace)]) {
        const again = new ListRecorder();
        const end = await runAgentLoop(options({ policy: replay, executor: executor(), recorder: again }));
        assert.equal(end.reason, "finished");
        assert.deepEqual(again.steps.map((s) => s.observation.text), recorder.steps.map((s) => s.observation.text));
        assert.equal(callLines(again), callLines(recorder), "the replay records the same calls");
      }
    });
  }

  it("a replayed call that fails validation, replayed again, fails the same way", async () => {
    const recorder = new ListRecorder();
    const calls: ToolCall[] = [{ tool: "notes", args: { action: "shout" } }, { tool: "open_range", args: { path: 3 } }, { tool: "finish", args: {}, body: "done" }];
    await runAgentLoop(options({ policy: new ReplayPolicy(calls), executor: executor(), recorder }));
    const second = new ListRecorder();
    // A plain list of calls (no observations) replays the same too.
    await runAgentLoop(options({ policy: ReplayPolicy.fromTrace(callLines(recorder)), executor: executor(), recorder: second }));
    assert.match(second.steps[0]!.observation.text, /"action" must be one of read, write, append/);
    assert.deepEqual(second.steps.map((s) => s.observation.text), recorder.steps.map((s) => s.observation.text));
  });
});

describe("replay refuses a trace of a newer format", () => {
  const header = (version: unknown) => JSON.stringify({ type: "header", version, sessionId: "s", branch: "infinite/s", task: "t", base: { ref: "main", commit: "a".repeat(40) }, createdAt: "x" });
  it("names the version it found and the one it reads, before anything runs", () => {
    assert.throws(
      () => ReplayPolicy.fromTrace(`${header(traceVersion + 1)}\n{"tool":"goal","args":{}}`, "new.jsonl"),
      (e: unknown) => e instanceof ReplayScriptError && e.message.includes(`new.jsonl, line 1: trace version ${traceVersion + 1} is newer than this extension reads (${traceVersion})`),
    );
    assert.throws(() => ReplayPolicy.fromTrace(header("2")), /"version" must be a positive integer/);
    assert.equal(ReplayPolicy.fromTrace(`${header(1)}\n${header(traceVersion).replace('"header"', '"end"')}`).name, "replay");
  });
});
