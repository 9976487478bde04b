// The model policy's prompt assembly: preamble and task once, then only appended observations; a
// turn that does not parse becomes an observation. The model session here is a scripted stand-in
// that records what is appended (the real engine, native/engine/, was not available yet); it is
// used to check what the policy sends, not how a model behaves.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runAgentLoop } from "../../../extension/core/agent/loop";
import { ModelPolicy, type GenerateOptions, type ModelSession, type ToolCallAdapter } from "../../../extension/core/agent/modelPolicy";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import type { ToolCall } from "../../../extension/core/tools/types";
import { MemoryWorkspace } from "./memoryWorkspace";

const adapter: ToolCallAdapter<string> = {
  preamble: (tools) => `SYSTEM tools: ${tools.map((t) => t.name).join(",")}\n`,
  task: (text) => `TASK ${text}\n`,
  observation: (o) => `OBS ${o.ok ? "ok" : "failed"}: ${o.text}\n`,
  grammar: (tools) => `root ::= ${tools.length} tools`,
  parse(text): ToolCall | { error: string } {
    try {
      return JSON.parse(text) as ToolCall;
    } catch {
      return { error: `not a call: ${text}` };
    }
  },
};

class ScriptedSession implements ModelSession<string> {
  readonly stream: string[] = [];
  readonly generations: Omit<GenerateOptions<string>, "signal">[] = [];
  constructor(private readonly outputs: string[]) {}
  async append(text: string): Promise<{ tokens: number }> {
    this.stream.push(text);
    return { tokens: text.length };
  }
  async generate({ signal: _signal, ...options }: GenerateOptions<string>): Promise<{ text: string; tokens: number; ms: number }> {
    this.generations.push(options);
    const text = this.outputs.shift() ?? '{"tool":"finish","args":{},"body":"out of script"}';
    this.stream.push(text);
    return { text, tokens: 7, ms: 2 };
  }
}

describe("model policy", () => {
  it("sends the preamble and task once, then only each observation, generating under the grammar", async () => {
    const session = new ScriptedSession(['{"tool":"open_range","args":{"path":"a.txt"}}', "garbage", '{"tool":"finish","args":{},"body":"done"}']);
    const policy = new ModelPolicy(adapter, session, { temperature: 0, seed: 42, maxTokensPerTurn: 512 });
    const end = await runAgentLoop({
      task: "read a.txt",
      tools: toolDefinitions,
      policy,
      executor: new MemoryWorkspace({ "a.txt": "alpha" }),
      budgets: { maxSteps: 10, maxTokens: 100_000, maxMs: 60_000, repeatLimit: 3 },
    });
    assert.equal(end.reason, "finished");
    assert.equal(end.summary, "done");
    assert.deepEqual(session.stream, [
      `SYSTEM tools: ${toolDefinitions.map((t) => t.name).join(",")}\nTASK read a.txt\n`,
      '{"tool":"open_range","args":{"path":"a.txt"}}',
      "OBS ok: 1: alpha\n",
      "garbage",
      "OBS failed: Not run: the output did not parse: not a call: garbage. Answer with exactly one valid tool call.\n",
      '{"tool":"finish","args":{},"body":"done"}',
    ]);
    assert.deepEqual(session.generations[0], { grammar: `root ::= ${toolDefinitions.length} tools`, maxTokens: 512, temperature: 0, seed: 42 });
    // appended characters (the stand-in counts one token per character) + 7 generated per turn
    const appended = session.stream[0]!.length + session.stream[2]!.length + session.stream[4]!.length;
    assert.equal(end.tokens, appended + 3 * 7);
  });

  it("refuses to save a state its session cannot save", async () => {
    const policy = new ModelPolicy(adapter, new ScriptedSession([]), { temperature: 0, seed: 0, maxTokensPerTurn: 64 });
    await assert.rejects(policy.saveState("/tmp/x"), /cannot save its state/);
  });
});
