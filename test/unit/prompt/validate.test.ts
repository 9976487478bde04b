import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { callProblems } from "../../../extension/core/tools/validate";
import { toolDefinitions } from "../../../extension/core/tools/definitions";

describe("callProblems", () => {
  const cases: [string, Parameters<typeof callProblems>[0], RegExp][] = [
    ["unknown tool", { tool: "rm_rf", args: {} }, /unknown tool "rm_rf"/],
    ["missing required", { tool: "open_range", args: {} }, /missing required parameter "path"/],
    ["unknown parameter", { tool: "goal", args: { x: 1 } }, /unknown parameter "x"/],
    ["integer below min", { tool: "open_range", args: { path: "a", start: 0 } }, /0 is outside 1\.\.10000000/],
    ["integer above max", { tool: "open_range", args: { path: "a", start: 10_000_001 } }, /outside/],
    ["non-integer", { tool: "open_range", args: { path: "a", start: 1.5 } }, /expected an integer/],
    ["enum value", { tool: "notes", args: { action: "erase" } }, /expected one of "read", "write", "append"/],
    ["string type", { tool: "find", args: { query: 3 } }, /expected a string/],
    ["boolean type", { tool: "find", args: { query: "a", regex: "yes" } }, /expected true or false/],
    ["body required", { tool: "finish", args: {} }, /a body is required/],
    ["no body allowed", { tool: "goal", args: {}, body: "x" }, /takes no body/],
    ["length in code points", { tool: "replace_range", args: { path: "a", start: 1, end: 1, start_text: "😀".repeat(81), end_text: "" } }, /longer than 80/],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => assert.match(callProblems(call, toolDefinitions).join("\n"), message));
  }

  it("counts code points, not UTF-16 units, against maxLength", () => {
    const call = { tool: "replace_range", args: { path: "a", start: 1, end: 2, start_text: "😀".repeat(80), end_text: "" } };
    assert.deepEqual(callProblems(call, toolDefinitions), []);
  });
});
