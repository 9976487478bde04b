// The benchmark machinery on a real tiny model and the real chromium: benchmark 4's two arms, the
// report and the chart. Figures are not asserted (they are not timed tests); what the figures are
// made of is.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeTinyModel } from "../../models/generate";
import { chartSvg, writeChart } from "../../../bench/chart";
import { renderReport } from "../../../bench/report";
import { emptyResults, type BenchResults } from "../../../bench/results";
import { benchStreamVsChat, linearFit, type StreamVsChatRow } from "../../../bench/streamVsChat";
import { niceTicks } from "../../../bench/svg";

describe("benchmark 4: append-only stream vs chat-style re-sending", () => {
  const scratch = mkdtempSync(join(tmpdir(), "itu-bench-test-"));
  let row: StreamVsChatRow;

  before(async () => {
    const path = join(scratch, "mamba2.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 1, path });
    row = await benchStreamVsChat("mamba2", path, { steps: 6, sampleEvery: 3, maxTokens: 16 }, () => undefined);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("runs every step on the stream and re-sends the sampled steps from a fresh sequence", () => {
    assert.deepEqual(row.stream.perStep.map((s) => s.step), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(row.chat.measured.map((s) => s.step), [3, 6]);
    // Everything the stream evaluated is in it: the preamble and every step's prefix, call and observation.
    const streamTokens = row.stream.setup.evaluatedTokens + row.stream.perStep.reduce((a, s) => a + s.evaluatedTokens, 0);
    assert.equal(streamTokens, row.finalTokens);
    // Step 6 re-sends all but its own call and observation, so it evaluates more than steps 1-5 together.
    const step6 = row.chat.measured[1]!;
    const earlier = row.stream.setup.evaluatedTokens + row.stream.perStep.slice(0, 5).reduce((a, s) => a + s.evaluatedTokens, 0);
    assert.ok(step6.evaluatedTokens > earlier, `${step6.evaluatedTokens} > ${earlier}`);
    assert.ok(row.tokenRatio > 1 && row.chat.evaluatedTokens > streamTokens);
  });

  it("gives the same greedy call from the stream and from the re-sent transcript (same state)", () => {
    assert.equal(row.sameCalls, row.chat.measured.length);
  });

  it("reports the ratio in results.md and draws both arms in the chart", () => {
    const results: BenchResults = { ...emptyResults(), dates: { streamVsChat: "2026-01-01" }, streamVsChat: [row] };
    const markdown = renderReport(results, { transformerLimit: 10_000 });
    assert.match(markdown, new RegExp(`\\| mamba2 \\(${row.format}\\) \\| 6 \\|.*\\*\\*${row.timeRatio.toFixed(1)}x\\*\\*`));
    assert.match(markdown, /2 of 6 chat-style steps measured \(one in 3\)/);
    const svg = chartSvg(results);
    assert.match(svg, /mamba2 chat-style/);
    assert.match(svg, /mamba2 append-only stream/);
  });
});

describe("bench chart", () => {
  it("writes a PNG through chromium at twice the SVG's size", async () => {
    const dir = mkdtempSync(join(tmpdir(), "itu-bench-chart-"));
    try {
      const results: BenchResults = {
        ...emptyResults(),
        append: [
          { arch: "mamba2", at: 1_000, msPer1000: 28, wallMsPer1000: 30 },
          { arch: "mamba2", at: 100_000, msPer1000: 29, wallMsPer1000: 31 },
        ],
      };
      const file = join(dir, "chart.png");
      await writeChart(results, file);
      const png = readFileSync(file);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(png.readUInt32BE(16), 2200, "width");
      assert.equal(png.readUInt32BE(20), 940, "height");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bench helpers", () => {
  it("linearFit recovers a line", () => {
    const fit = linearFit([10, 20, 40].map((tokens, step) => ({ step, evaluatedTokens: tokens, cpuMs: 5 + 0.5 * tokens, wallMs: 0 })));
    assert.ok(Math.abs(fit.fixedMs - 5) < 1e-9 && Math.abs(fit.msPerToken - 0.5) < 1e-9, JSON.stringify(fit));
  });

  it("niceTicks steps 1-2-2.5-5 and covers the maximum", () => {
    assert.deepEqual(niceTicks(6260), [0, 2000, 4000, 6000, 8000]);
    assert.deepEqual(niceTicks(852), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(niceTicks(100), [0, 20, 40, 60, 80, 100]);
  });
});
