// The batch's summary: a plain-text table (issue, branch, steps, tokens, exit reason) or one JSON object.
import type { BatchRow } from "./batchRunner";

const columns = ["issue", "branch", "steps", "tokens", "reason"] as const;

function cells(row: BatchRow): Record<(typeof columns)[number], string> {
  return { issue: `#${row.issue}`, branch: row.branch ?? "(none)", steps: String(row.steps), tokens: String(row.tokens), reason: row.action === "resumed" ? `${row.reason} (resumed)` : row.reason };
}

export function batchTable(rows: readonly BatchRow[]): string {
  const body = rows.map(cells);
  const width = (c: (typeof columns)[number]) => Math.max(c.length, ...body.map((r) => r[c].length));
  const numeric = new Set(["steps", "tokens"]);
  const line = (r: Record<(typeof columns)[number], string>) => columns.map((c) => (numeric.has(c) ? r[c].padStart(width(c)) : r[c].padEnd(width(c)))).join("  ").trimEnd();
  const header = Object.fromEntries(columns.map((c) => [c, c])) as Record<(typeof columns)[number], string>;
  return [line(header), ...body.map(line), batchTally(rows)].join("\n");
}

export function batchTally(rows: readonly BatchRow[]): string {
  const count = (o: BatchRow["outcome"]) => rows.filter((r) => r.outcome === o).length;
  return `${rows.length} issues: ${count("finished")} finished, ${count("skipped")} already finished, ${count("ended")} ended otherwise, ${count("crashed")} crashed`;
}

export function batchJson(rows: readonly BatchRow[]): string {
  return JSON.stringify({ sessions: rows, ok: rows.every((r) => r.outcome === "finished" || r.outcome === "skipped") });
}
