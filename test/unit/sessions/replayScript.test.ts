import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatCallLine, parseReplayScript, ReplayScriptError } from "../../../extension/core/sessions/traceFormat";
import { ReplayPolicy } from "../../../extension/core/agent/replayPolicy";

describe("trace files", () => {
  it("reads call lines, skips blank lines and ignores extra fields", () => {
    const text = [
      '{"tool":"open_range","args":{"path":"a.ts","start":3},"observation":{"ok":true,"text":"..."},"step":1}',
      "",
      '{"tool":"finish","args":{},"body":"done\\nreally"}\r',
    ].join("\n");
    assert.deepEqual(parseReplayScript(text), [
      { tool: "open_range", args: { path: "a.ts", start: 3 } },
      { tool: "finish", args: {}, body: "done\nreally" },
    ]);
  });

  it("reads a session branch's trace: header and end lines skipped, step lines give their call", () => {
    const text = [
      '{"type":"header","version":1,"sessionId":"s","branch":"infinite/s","task":"t","base":{"ref":"main","commit":"abc"},"createdAt":"x"}',
      '{"type":"step","step":1,"call":{"tool":"goal","args":{}},"effect":"reads","observation":{"ok":true,"text":"t"},"at":"x"}',
      '{"type":"end","summary":"done","at":"x"}',
    ].join("\n");
    assert.deepEqual(parseReplayScript(text), [{ tool: "goal", args: {} }]);
  });

  it("round-trips a call with a non-ASCII raw body", () => {
    const call = { tool: "create_file", args: { path: "é.txt" }, body: "naïve — 😀\n\ttab" };
    assert.deepEqual(parseReplayScript(formatCallLine(call)), [call]);
  });

  it("rejects a bad line with its line number, before anything runs", () => {
    assert.throws(() => parseReplayScript('{"tool":"goal","args":{}}\n{"tool":"goal"'), (e: unknown) => e instanceof ReplayScriptError && /line 2: not JSON/.test(e.message));
    assert.throws(() => parseReplayScript('{"args":{}}', "t.jsonl"), /t\.jsonl, line 1: "tool" must be a non-empty string/);
    assert.throws(() => parseReplayScript('{"tool":"find","args":{"query":["a"]}}'), /argument "query" must be a string, number or boolean/);
    assert.throws(() => parseReplayScript('{"tool":"finish","args":{},"body":3}'), /"body" must be a string/);
    assert.throws(() => ReplayPolicy.fromTrace("[1,2]"), /expected a JSON object/);
  });
});
