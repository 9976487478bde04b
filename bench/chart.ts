// bench/chart.png: benchmark 1 (cost of appending vs session length) and benchmark 4 (cost per step
// over a 300-step session, stream vs chat-style), drawn as SVG and rendered to PNG in the installed
// chromium (vsce rejects SVG images in a README).
import type { AppendRow } from "./append";
import { renderSvgToPng } from "./chartPng";
import type { BenchResults } from "./results";
import type { StreamVsChatRow } from "./streamVsChat";
import { axes, legend, niceTicks, polyline, type Panel, type Series } from "./svg";

const WIDTH = 1100;
const HEIGHT = 470;
const COLORS: Record<string, string> = { mamba2: "#1f6fd1", rwkv7: "#1b9e5a", llama: "#d1491f" };
const colorOf = (arch: string) => COLORS[arch] ?? "#666";

function appendPanel(rows: readonly AppendRow[]): string {
  const archs = [...new Set(rows.map((r) => r.arch))];
  const yTicks = niceTicks(Math.max(...rows.map((r) => r.msPer1000)));
  const panel: Panel = {
    x: 70, y: 60, width: 400, height: 320,
    xScale: { kind: "log", min: 1_000, max: 100_000, ticks: [1_000, 5_000, 10_000, 100_000], label: (v) => `${v / 1000}k` },
    yScale: { kind: "linear", min: 0, max: yTicks.at(-1)!, ticks: yTicks, label: (v) => `${v}` },
    title: "1. Appending 1,000 tokens to one session",
    xTitle: "tokens already in the session (log scale)",
    yTitle: "CPU ms per 1,000 tokens",
  };
  const series: Series[] = archs.map((arch) => {
    const own = rows.filter((r) => r.arch === arch);
    const last = own.at(-1)!;
    const growth = `${last.at / 1000}k / 1k = ${(last.msPer1000 / own[0]!.msPer1000).toFixed(2)}`;
    const transformer = arch === "llama";
    return {
      name: transformer ? `llama, transformer (${growth})` : `${arch} (${growth})`,
      color: colorOf(arch),
      points: own.map((r) => [r.at, r.msPer1000] as const),
      markers: true,
      // The recurrent lines lie on top of each other; their figures are in the legend.
      endLabel: transformer ? `${last.msPer1000.toFixed(0)} ms (stopped at ${last.at / 1000}k: too slow)` : undefined,
    };
  });
  return axes(panel) + series.map((s) => polyline(panel, s)).join("") + legend(panel.x + 150, panel.y + 200, series);
}

function stepsPanel(rows: readonly StreamVsChatRow[]): string {
  const yTicks = niceTicks(Math.max(...rows.flatMap((r) => r.chat.measured.map((m) => m.cpuMs))));
  const steps = Math.max(...rows.map((r) => r.steps));
  const panel: Panel = {
    x: 620, y: 60, width: 400, height: 320,
    xScale: { kind: "linear", min: 0, max: steps, ticks: 6, label: (v) => `${v}` },
    yScale: { kind: "linear", min: 0, max: yTicks.at(-1)!, ticks: yTicks, label: (v) => (v >= 1000 ? `${v / 1000} s` : `${v} ms`) },
    title: `4. Cost per step over a ${steps}-step session`,
    xTitle: "step",
    yTitle: "CPU time per step",
  };
  const series: Series[] = rows.flatMap((r, i) => [
    {
      name: `${r.arch} chat-style (${r.timeRatio.toFixed(0)}x total)`, color: colorOf(r.arch), dashed: true, markers: true,
      points: r.chat.measured.map((m) => [m.step, m.cpuMs] as const),
      endLabel: `${(r.chat.measured.at(-1)!.cpuMs / 1000).toFixed(1)} s`,
    },
    {
      name: `${r.arch} append-only stream`, color: colorOf(r.arch),
      points: smooth(r.stream.perStep.map((s) => [s.step, s.cpuMs] as const), 10),
      endLabel: i === 0 ? `~${smooth(r.stream.perStep.map((s) => [s.step, s.cpuMs] as const), 10).at(-1)![1].toFixed(0)} ms` : undefined,
    },
  ]);
  return axes(panel) + series.map((s) => polyline(panel, s)).join("") + legend(panel.x + 12, panel.y + 14, series);
}

/** A moving average: CPU time of one ~50 ms step is noisy at the clock's granularity. */
function smooth(points: readonly (readonly [number, number])[], window: number): [number, number][] {
  return points.map(([x], i) => {
    const slice = points.slice(Math.max(0, i - window + 1), i + 1);
    return [x, slice.reduce((a, [, y]) => a + y, 0) / slice.length];
  });
}

export function chartSvg(results: BenchResults): string {
  const caption = "Tiny random models (d_model 128, 2 layers), one CPU thread, 2-core machine: machinery and scaling shape, not competence.";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">`
    + `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`
    + (results.append.length ? appendPanel(results.append) : "")
    + (results.streamVsChat.length ? stepsPanel(results.streamVsChat) : "")
    + `<text x="${WIDTH / 2}" y="${HEIGHT - 12}" font-size="13" fill="#555" text-anchor="middle">${caption}</text>`
    + "</svg>";
}

export async function writeChart(results: BenchResults, path: string): Promise<void> {
  await renderSvgToPng(chartSvg(results), { width: WIDTH, height: HEIGHT }, path);
}
