// The model policy's prompt assembly through a real protocol adapter: preamble and task once, then
// per turn only the turn prefix, the generated call and its observation; a turn that does not parse
// becomes an observation. The session here records what is appended (the next file runs the real
// engine); it checks what the policy sends, not how a model behaves.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runAgentLoop } from "../../../extension/core/agent/loop";
import { ModelPolicy } from "../../../extension/core/agent/modelPolicy";
import type { ModelAppendOptions, ModelGenerateOptions, ModelStream } from "../../../extension/core/agent/modelStream";
import { createAdapter } from "../../../extension/core/prompt/adapters";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import { MemoryWorkspace } from "./memoryWorkspace";

class RecordingSession implements ModelStream {
  readonly stream: Array<{ text: string; special: boolean; generated?: boolean }> = [];
  readonly generations: Array<Omit<ModelGenerateOptions, "signal">> = [];
  constructor(private readonly outputs: string[]) {}
  async append(text: string, options: ModelAppendOptions = {}): Promise<{ appendedTokens: number; ms: number }> {
    this.stream.push({ text, special: options.special ?? false });
    return { appendedTokens: Buffer.byteLength(text), ms: 1 };
  }
  async generate({ signal: _signal, ...options }: ModelGenerateOptions): Promise<{ text: string; tokens: number[]; ms: number; stopReason: string }> {
    this.generations.push(options);
    const text = this.outputs.shift() ?? "";
    this.stream.push({ text, special: false, generated: true });
    return { text, tokens: Array.from({ length: 7 }, (_, i) => i), ms: 2, stopReason: "end" };
  }
  async saveState(): Promise<void> {
    throw new Error("a recording session cannot save its state");
  }
  async loadState(): Promise<void> {
    throw new Error("a recording session cannot load a state");
  }
  async dispose(): Promise<void> {}
}

describe("model policy", () => {
  it("sends the preamble and task once, then the turn prefix, the call and its observation per turn", async () => {
    const adapter = createAdapter("hermes");
    const open = { tool: "open_range", args: { path: "a.txt" } };
    const finish = { tool: "finish", args: {}, body: "done" };
    const session = new RecordingSession([adapter.render(open, toolDefinitions), "garbage", adapter.render(finish, toolDefinitions)]);
    const policy = new ModelPolicy(adapter, session, { temperature: 0, seed: 42, maxTokensPerTurn: 512 });
    const end = await runAgentLoop({
      task: "read a.txt",
      tools: toolDefinitions,
      policy,
      executor: new MemoryWorkspace({ "a.txt": "alpha" }),
      budgets: { maxSteps: 10, maxTokens: 100_000, maxMs: 60_000, repeatLimit: 3 },
    });
    assert.equal(end.reason, "finished", end.message);
    assert.equal(end.summary, "done");
    const okObservation = adapter.observationSegments({ ok: true, text: "1: alpha", summary: "a.txt: 1 lines" }, adapter.render(open, toolDefinitions));
    // Template text goes in with special tokens parsed; the task and the tool output never do.
    const expected = [
      ...adapter.preambleSegments(toolDefinitions),
      ...adapter.taskSegments("read a.txt"),
      { text: adapter.turnPrefix, special: true },
      { text: adapter.render(open, toolDefinitions), special: false, generated: true },
      ...okObservation,
      { text: adapter.turnPrefix, special: true },
      { text: "garbage", special: false, generated: true },
    ];
    assert.deepEqual(expected.filter((p) => p.text.includes("read a.txt") || p.text.includes("1: alpha")).map((p) => p.special), [false, false]);
    assert.deepEqual(session.stream.slice(0, expected.length), expected);
    const failed = session.stream.slice(expected.length, expected.length + 3);
    assert.deepEqual(failed.map((p) => p.special), [true, false, true]);
    assert.match(failed[1]?.text ?? "", /Not run: the output is not a tool call: .*Answer with exactly one valid tool call/);
    assert.deepEqual(session.stream.slice(expected.length + 3), [
      { text: adapter.turnPrefix, special: true },
      { text: adapter.render(finish, toolDefinitions), special: false, generated: true },
    ]);
    assert.equal(session.generations.length, 3);
    assert.deepEqual(session.generations[0], { grammar: adapter.grammar(toolDefinitions), maxTokens: 512, temperature: 0, seed: 42 });
    // Every appended byte (the recorder counts one token per byte) plus 7 generated tokens per turn.
    const appended = session.stream.filter((p) => !p.generated).reduce((n, p) => n + Buffer.byteLength(p.text), 0);
    assert.equal(end.tokens, appended + 3 * 7);
  });

  it("refuses to save a state its session cannot save", async () => {
    const policy = new ModelPolicy(createAdapter("plain"), new RecordingSession([]), { temperature: 0, seed: 0, maxTokensPerTurn: 64 });
    await assert.rejects(policy.saveState("/tmp/x"), /cannot save its state/);
  });
});
