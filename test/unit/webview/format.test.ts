// The short strings the panel shows for numbers.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatBytes, formatDiffStat, formatDuration, meterRows, modelStateText, runningStepText, sessionStatusText } from "../../../webview/format";

describe("panel formatting", () => {
  it("formats durations, sizes and diff stats compactly", () => {
    assert.equal(formatDuration(850), "850 ms");
    assert.equal(formatDuration(2400), "2.4 s");
    assert.equal(formatDuration(192_000), "3 min 12 s");
    assert.equal(formatBytes(512), "512 B");
    assert.equal(formatBytes(1536), "1.5 KiB");
    assert.equal(formatBytes(300 * 1024 * 1024), "300 MiB");
    assert.equal(formatDiffStat({ files: 1, insertions: 3, deletions: 1 }), "+3 −1 in 1 file");
    assert.equal(formatDiffStat({ files: 2, insertions: 0, deletions: 9 }), "+0 −9 in 2 files");
  });

  it("lists meters with budgets used and left, and dashes for unknowns", () => {
    const rows = meterRows({ tokens: 12345, tokensPerSecond: 31.26, budgets: [{ label: "Steps", used: 12, limit: 200 }] });
    assert.deepEqual(rows, [
      ["Speed", "31.3 tok/s"],
      ["Step time", "—"],
      ["Tokens", "12,345"],
      ["State size", "—"],
      ["Steps", "12 / 200 (188 left)"],
    ]);
  });

  it("describes the model's state with progress", () => {
    assert.equal(modelStateText({ name: "m", state: "downloading", progress: 0.426 }), "downloading 43%");
    assert.equal(modelStateText({ name: "", state: "none" }), "no model chosen");
  });

  it("says what the session is doing", () => {
    const base = { id: "s", task: "t", branch: "b", steps: [], earlierSteps: 4, notes: "", meters: { tokens: 0, budgets: [] } };
    assert.equal(sessionStatusText(null), "Idle");
    assert.equal(sessionStatusText({ ...base, phase: "running", running: { step: 5, tool: "edit", keyArgs: "" } }), "Running step 5: edit (4 steps done)");
    assert.equal(sessionStatusText({ ...base, phase: "running", running: { step: 5 } }), "Running step 5 (4 steps done)");
    assert.equal(runningStepText({ step: 5 }), "#5 — the model is choosing a call…");
    assert.equal(runningStepText({ step: 5, tool: "find", keyArgs: "pattern=add" }), "#5 find pattern=add — running…");
    assert.equal(sessionStatusText({ ...base, phase: "ended", end: { outcome: "failed", reason: "model host crashed", summary: "" } }), "Failed after 4 steps");
  });
});
