// Checks a parsed call against the tool registry. The grammar should make every generated call
// valid; this is the independent check (and the gate for calls that did not come from the grammar).
import type { ArgValue, ParamSpec, ToolCall, ToolDefinition } from "../tools/types";
import { DEFAULT_INT_MAX, DEFAULT_INT_MIN, stringProblem } from "./values";
import { fenceProblem, BODY_FENCE } from "./fence";

/** Every problem found with a call; empty when the call is valid. */
export function validateCall(call: ToolCall, tools: readonly ToolDefinition[]): string[] {
  const tool = tools.find((t) => t.name === call.tool);
  if (!tool) return [`unknown tool "${call.tool}" (known: ${tools.map((t) => t.name).join(", ")})`];
  const problems: string[] = [];
  for (const name of Object.keys(call.args)) {
    if (!tool.params.some((p) => p.name === name)) problems.push(`${tool.name}: unknown parameter "${name}"`);
  }
  for (const param of tool.params) {
    const value = Object.prototype.hasOwnProperty.call(call.args, param.name) ? call.args[param.name] : undefined;
    if (value === undefined) {
      if (!param.optional) problems.push(`${tool.name}: missing required parameter "${param.name}"`);
      continue;
    }
    const problem = valueProblem(param, value);
    if (problem) problems.push(`${tool.name}.${param.name}: ${problem}`);
  }
  problems.push(...bodyProblems(tool, call.body));
  return problems;
}

function bodyProblems(tool: ToolDefinition, body: string | undefined): string[] {
  if (body === undefined) return tool.body && !tool.body.optional ? [`${tool.name}: a body is required`] : [];
  if (!tool.body) return [`${tool.name}: takes no body`];
  const problem = fenceProblem(body, BODY_FENCE);
  return problem ? [`${tool.name}: body ${problem}`] : [];
}

function valueProblem(param: ParamSpec, value: ArgValue): string | undefined {
  switch (param.type) {
    case "string": {
      if (typeof value !== "string") return `expected a string, got ${JSON.stringify(value)}`;
      // maxLength counts code points, as the grammar does (not UTF-16 units).
      const length = [...value].length;
      if (param.maxLength !== undefined && length > param.maxLength) return `longer than ${param.maxLength} characters (${length})`;
      return stringProblem(value);
    }
    case "integer": {
      if (typeof value !== "number" || !Number.isSafeInteger(value)) return `expected an integer, got ${JSON.stringify(value)}`;
      const min = param.min ?? DEFAULT_INT_MIN;
      const max = param.max ?? DEFAULT_INT_MAX;
      if (value < min || value > max) return `${value} is outside ${min}..${max}`;
      return undefined;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : `expected true or false, got ${JSON.stringify(value)}`;
    case "enum":
      return typeof value === "string" && (param.values ?? []).includes(value)
        ? undefined
        : `expected one of ${(param.values ?? []).map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`;
  }
}
