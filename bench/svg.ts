// Just enough SVG for the benchmark chart: a plot panel with axes, line series and a legend.
export interface Scale {
  readonly kind: "linear" | "log";
  readonly min: number;
  readonly max: number;
  /** Tick values, or how many equal steps from min to max. */
  readonly ticks: readonly number[] | number;
  readonly label: (value: number) => string;
}

export interface Panel {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly xScale: Scale;
  readonly yScale: Scale;
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
}

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
  readonly markers?: boolean;
  /** Written after the last point. */
  readonly endLabel?: string;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Evenly spaced ticks from 0 at a 1-2-5 step, the last one at or above `max`. */
export function niceTicks(max: number, about = 5): number[] {
  const rough = max / about;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => i * step);
}

function fraction(scale: Scale, value: number): number {
  if (scale.kind === "log") return (Math.log(value) - Math.log(scale.min)) / (Math.log(scale.max) - Math.log(scale.min));
  return (value - scale.min) / (scale.max - scale.min);
}

const px = (panel: Panel, x: number) => panel.x + fraction(panel.xScale, x) * panel.width;
const py = (panel: Panel, y: number) => panel.y + panel.height - fraction(panel.yScale, y) * panel.height;

function tickValues(scale: Scale): number[] {
  if (typeof scale.ticks !== "number") return [...scale.ticks];
  const count = scale.ticks;
  return Array.from({ length: count + 1 }, (_, i) => scale.min + ((scale.max - scale.min) * i) / count);
}

export function axes(panel: Panel): string {
  const { x, y, width, height } = panel;
  const bottom = y + height;
  const parts = [`<text x="${x}" y="${y - 22}" font-size="17" font-weight="bold" fill="#222">${escape(panel.title)}</text>`];
  for (const value of tickValues(panel.yScale)) {
    const ty = py(panel, value);
    parts.push(`<line x1="${x}" x2="${x + width}" y1="${ty}" y2="${ty}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${x - 8}" y="${ty + 4}" font-size="12" fill="#444" text-anchor="end">${escape(panel.yScale.label(value))}</text>`);
  }
  for (const value of tickValues(panel.xScale)) {
    const tx = px(panel, value);
    parts.push(`<line x1="${tx}" x2="${tx}" y1="${bottom}" y2="${bottom + 5}" stroke="#444"/>`);
    parts.push(`<text x="${tx}" y="${bottom + 19}" font-size="12" fill="#444" text-anchor="middle">${escape(panel.xScale.label(value))}</text>`);
  }
  parts.push(`<line x1="${x}" x2="${x + width}" y1="${bottom}" y2="${bottom}" stroke="#444"/>`);
  parts.push(`<line x1="${x}" x2="${x}" y1="${y}" y2="${bottom}" stroke="#444"/>`);
  parts.push(`<text x="${x + width / 2}" y="${bottom + 40}" font-size="13" fill="#333" text-anchor="middle">${escape(panel.xTitle)}</text>`);
  parts.push(`<text transform="translate(${x - 50} ${y + height / 2}) rotate(-90)" font-size="13" fill="#333" text-anchor="middle">${escape(panel.yTitle)}</text>`);
  return parts.join("");
}

export function polyline(panel: Panel, series: Series): string {
  const coords = series.points.map(([vx, vy]) => [px(panel, vx), py(panel, vy)] as const);
  const dash = series.dashed ? ` stroke-dasharray="7 5"` : "";
  const parts = [`<polyline fill="none" stroke="${series.color}" stroke-width="2.5"${dash} points="${coords.map(([cx, cy]) => `${cx.toFixed(1)},${cy.toFixed(1)}`).join(" ")}"/>`];
  if (series.markers) parts.push(...coords.map(([cx, cy]) => `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="3.5" fill="${series.color}"/>`));
  const last = coords.at(-1);
  if (series.endLabel && last) parts.push(`<text x="${last[0] + 8}" y="${last[1] + 4}" font-size="12" fill="${series.color}">${escape(series.endLabel)}</text>`);
  return parts.join("");
}

export function legend(x: number, y: number, series: readonly Series[]): string {
  return series.map((s, i) => {
    const ly = y + i * 19;
    const dash = s.dashed ? ` stroke-dasharray="7 5"` : "";
    return `<rect x="${x - 4}" y="${ly - 11}" width="${s.name.length * 7.2 + 40}" height="18" fill="#fff" fill-opacity="0.85"/>`
      + `<line x1="${x}" x2="${x + 26}" y1="${ly - 2}" y2="${ly - 2}" stroke="${s.color}" stroke-width="2.5"${dash}/>`
      + `<text x="${x + 32}" y="${ly + 2}" font-size="12.5" fill="#222">${escape(s.name)}</text>`;
  }).join("");
}
