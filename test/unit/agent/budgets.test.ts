import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { budgetsFromSettings } from "../../../extension/core/agent/budgets";
import { RepeatDetector } from "../../../extension/core/agent/repeatDetector";

describe("budgets from settings", () => {
  it("converts minutes to milliseconds and keeps the manifest's defaults for missing or bad values", () => {
    assert.deepEqual(budgetsFromSettings({ maxSteps: 10, maxTokens: 5000, maxMinutes: 1.5, repeatLimit: 4 }), { maxSteps: 10, maxTokens: 5000, maxMs: 90_000, repeatLimit: 4 });
    assert.deepEqual(budgetsFromSettings({ maxSteps: -1, maxTokens: Number.NaN, repeatLimit: 1 }), { maxSteps: 200, maxTokens: 1_000_000, maxMs: 3_600_000, repeatLimit: 2 });
  });
});

describe("repeat detector", () => {
  it("counts identical call+observation pairs in a row and resets on any difference", () => {
    const detector = new RepeatDetector(3);
    const call = { tool: "find", args: { query: "x", regex: false } };
    const same = { ok: true, text: "no matches" };
    assert.equal(detector.record(call, same), 1);
    assert.equal(detector.record({ tool: "find", args: { regex: false, query: "x" } }, same), 2);
    assert.equal(detector.tripped, false);
    assert.equal(detector.record(call, { ok: true, text: "1 match" }), 1, "a new observation is progress");
    assert.equal(detector.record(call, { ok: true, text: "1 match" }), 2);
    assert.equal(detector.record(call, { ok: true, text: "1 match" }), 3);
    assert.equal(detector.tripped, true);
    assert.throws(() => new RepeatDetector(1), /at least 2/);
  });
});
