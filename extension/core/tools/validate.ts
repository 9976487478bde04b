// Argument validation derived from the registry: a call that does not fit its definition gets an
// explanation naming what would be valid, and never reaches an implementation.
import type { ArgValue, ParamSpec, ToolCall, ToolDefinition } from "./types";

export type Validation = { ok: true; definition: ToolDefinition } | { ok: false; error: string };

export function validateCall(call: ToolCall, definitions: readonly ToolDefinition[]): Validation {
  const definition = definitions.find((d) => d.name === call.tool);
  if (!definition) return { ok: false, error: `there is no tool "${call.tool}"; the tools are: ${definitions.map((d) => d.name).join(", ")}` };
  const known = new Set(definition.params.map((p) => p.name));
  const unknown = Object.keys(call.args).filter((k) => !known.has(k));
  if (unknown.length) return { ok: false, error: `${call.tool} has no parameter ${unknown.map((u) => `"${u}"`).join(", ")}; its parameters are: ${describeParams(definition)}` };
  for (const param of definition.params) {
    const problem = checkParam(param, call.args[param.name]);
    if (problem) return { ok: false, error: `${call.tool}: ${problem}` };
  }
  if (call.body !== undefined && !definition.body) return { ok: false, error: `${call.tool} takes no body` };
  if (definition.body && !definition.body.optional && call.body === undefined) return { ok: false, error: `${call.tool} needs a body: ${definition.body.description}` };
  return { ok: true, definition };
}

function checkParam(param: ParamSpec, value: ArgValue | undefined): string | undefined {
  if (value === undefined) return param.optional ? undefined : `the parameter "${param.name}" is missing (${param.description})`;
  switch (param.type) {
    case "string":
      if (typeof value !== "string") return `"${param.name}" must be a string`;
      if (param.maxLength !== undefined && value.length > param.maxLength) return `"${param.name}" is ${value.length} characters long; at most ${param.maxLength} are allowed`;
      return undefined;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return `"${param.name}" must be a whole number`;
      if (param.min !== undefined && value < param.min) return `"${param.name}" is ${value}; the smallest allowed is ${param.min}`;
      if (param.max !== undefined && value > param.max) return `"${param.name}" is ${value}; the largest allowed is ${param.max}`;
      return undefined;
    case "boolean":
      return typeof value === "boolean" ? undefined : `"${param.name}" must be true or false`;
    case "enum":
      return typeof value === "string" && (param.values ?? []).includes(value) ? undefined : `"${param.name}" must be one of ${(param.values ?? []).join(", ")}`;
  }
}

export function describeParams(definition: ToolDefinition): string {
  if (definition.params.length === 0) return "(none)";
  return definition.params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${p.type === "enum" ? (p.values ?? []).join("|") : p.type}`).join(", ");
}
