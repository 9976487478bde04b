// Checks a parsed call against the tool registry before anything runs. The grammar should make
// invalid calls impossible for the model policy, but a replayed trace is user input and a grammar
// can be looser than the registry, so the loop never trusts a call it has not checked.
import type { ArgValue, ParamSpec, ToolCall, ToolDefinition } from "../tools/types";

export type CallCheck = { readonly ok: true; readonly tool: ToolDefinition } | { readonly ok: false; readonly error: string };

export function validateCall(call: ToolCall, tools: readonly ToolDefinition[]): CallCheck {
  const tool = tools.find((t) => t.name === call.tool);
  if (!tool) return { ok: false, error: `unknown tool "${call.tool}"; the tools are: ${tools.map((t) => t.name).join(", ")}` };
  const problems: string[] = [];
  for (const name of Object.keys(call.args)) {
    if (!tool.params.some((p) => p.name === name)) problems.push(`unknown argument "${name}"`);
  }
  for (const param of tool.params) {
    const value = call.args[param.name];
    if (value === undefined) {
      if (!param.optional) problems.push(`missing argument "${param.name}"`);
      continue;
    }
    const problem = checkValue(param, value);
    if (problem) problems.push(problem);
  }
  if (call.body !== undefined && !tool.body) problems.push(`${tool.name} takes no body`);
  if (call.body === undefined && tool.body && !tool.body.optional) problems.push(`${tool.name} needs a body (${tool.body.description})`);
  if (problems.length) return { ok: false, error: `invalid call to ${tool.name}: ${problems.join("; ")}` };
  return { ok: true, tool };
}

function checkValue(param: ParamSpec, value: ArgValue): string | undefined {
  const name = `"${param.name}"`;
  switch (param.type) {
    case "string":
      if (typeof value !== "string") return `${name} must be a string`;
      if (param.maxLength !== undefined && value.length > param.maxLength) return `${name} is longer than ${param.maxLength} characters`;
      return undefined;
    case "boolean":
      return typeof value === "boolean" ? undefined : `${name} must be true or false`;
    case "enum":
      return typeof value === "string" && param.values?.includes(value) ? undefined : `${name} must be one of ${(param.values ?? []).join(", ")}`;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return `${name} must be an integer`;
      if (param.min !== undefined && value < param.min) return `${name} must be at least ${param.min}`;
      if (param.max !== undefined && value > param.max) return `${name} must be at most ${param.max}`;
      return undefined;
  }
}
