// Text derived from the registry: the tool documentation shown to the model, and the one-line
// description of a call that the task panel's timeline shows.
import { describeParams } from "./validate";
import type { ToolCall, ToolDefinition } from "./types";

export function toolDocumentation(definitions: readonly ToolDefinition[]): string {
  return definitions.map(documentTool).join("\n\n");
}

function documentTool(d: ToolDefinition): string {
  const lines = [`## ${d.name}`, d.description];
  for (const p of d.params) {
    const kind = p.type === "enum" ? `one of ${(p.values ?? []).join(", ")}` : p.type;
    const range = p.type === "integer" && p.min !== undefined ? `, ${p.min}..${p.max ?? "∞"}` : "";
    lines.push(`- ${p.name} (${kind}${range}${p.optional ? ", optional" : ""}): ${p.description}`);
  }
  if (d.body) lines.push(`- body (raw text${d.body.optional ? ", optional" : ""}): ${d.body.description}`);
  return lines.join("\n");
}

/** A short, human-readable line for a call, e.g. `replace_range src/a.ts 3-5`. */
export function describeCall(call: ToolCall): string {
  const values = Object.values(call.args).map((v) => (typeof v === "string" && v.length > 40 ? `${v.slice(0, 40)}…` : String(v)));
  const body = call.body === undefined ? "" : ` (+${call.body.split("\n").length} line body)`;
  return `${call.tool}${values.length ? " " + values.join(" ") : ""}${body}`;
}

export function signature(d: ToolDefinition): string {
  return `${d.name}(${describeParams(d)})${d.body ? " + body" : ""}`;
}
