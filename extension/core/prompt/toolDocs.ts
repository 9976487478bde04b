// Tool documentation for the system preamble, derived from the registry so that a new tool is
// documented (and constrained) without touching the prompt code.
import type { ParamSpec, ToolDefinition } from "../tools/types";
import { BODY_FENCE, DEFAULT_INT_MAX, DEFAULT_INT_MIN } from "./values";

function paramKind(p: ParamSpec): string {
  switch (p.type) {
    case "string":
      return p.maxLength === undefined ? "string" : `string, at most ${p.maxLength} characters`;
    case "integer":
      return `integer ${p.min ?? DEFAULT_INT_MIN}..${p.max ?? DEFAULT_INT_MAX}`;
    case "boolean":
      return "true or false";
    case "enum":
      return `one of ${(p.values ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
  }
}

const bodyRule = `A body is raw text (never escaped) on the lines between a line "${BODY_FENCE.open}" and a line "${BODY_FENCE.close}".`;

/** Documentation in the line syntax: `@tool key=value ...`. */
export function renderLineToolDocs(tools: readonly ToolDefinition[]): string {
  const sections = tools.map((tool) => {
    const signature = tool.params.map((p) => (p.optional ? ` [${p.name}=...]` : ` ${p.name}=...`)).join("");
    const lines = [`@${tool.name}${signature}${tool.body ? (tool.body.optional ? " [body]" : " body") : ""}`, `  ${tool.description}`];
    for (const p of tool.params) lines.push(`  ${p.name} (${paramKind(p)}${p.optional ? ", optional" : ""}): ${p.description}`);
    if (tool.body) lines.push(`  body${tool.body.optional ? " (optional)" : ""}: ${tool.body.description}`);
    return lines.join("\n");
  });
  return [
    "Each of your turns is exactly one tool call: `@tool` then its arguments as name=value, strings in double quotes.",
    bodyRule,
    "Example:",
    `@create_file path="notes/todo.md"\n${BODY_FENCE.open}\n# To do\n${BODY_FENCE.close}`,
    "",
    "Tools:",
    ...sections,
  ].join("\n");
}

/** JSON Schema for a tool's arguments, as Hermes/Qwen/Granite templates list tools. */
export function parametersSchema(tool: ToolDefinition): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const p of tool.params) {
    const schema: Record<string, unknown> = { description: p.description };
    if (p.type === "enum") Object.assign(schema, { type: "string", enum: p.values });
    else Object.assign(schema, { type: p.type });
    if (p.type === "integer") Object.assign(schema, { minimum: p.min ?? DEFAULT_INT_MIN, maximum: p.max ?? DEFAULT_INT_MAX });
    if (p.maxLength !== undefined) schema.maxLength = p.maxLength;
    properties[p.name] = schema;
  }
  return { type: "object", properties, required: tool.params.filter((p) => !p.optional).map((p) => p.name) };
}

/** The `<tools>` block and the calling convention of Hermes-style templates, plus the body rule. */
export function renderJsonToolDocs(tools: readonly ToolDefinition[]): string {
  const functions = tools.map((tool) => {
    const description = tool.body
      ? `${tool.description} Body${tool.body.optional ? " (optional)" : ""}: ${tool.body.description}`
      : tool.description;
    return JSON.stringify({ type: "function", function: { name: tool.name, description, parameters: parametersSchema(tool) } });
  });
  return [
    "You act only through tool calls; each of your turns is exactly one call. The tools:",
    "<tools>",
    ...functions,
    "</tools>",
    "",
    "For each call, return a JSON object with the function name and arguments within <tool_call></tool_call> XML tags:",
    `<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>`,
    `${bodyRule} It goes after the JSON line, inside the tags:`,
    `<tool_call>\n{"name": "create_file", "arguments": {"path": "notes/todo.md"}}\n${BODY_FENCE.open}\n# To do\n${BODY_FENCE.close}\n</tool_call>`,
  ].join("\n");
}

/** The tools as OpenAI-style function entries, the list chat templates render (`tools`). */
export function toolSchemas(tools: readonly ToolDefinition[]): Record<string, unknown>[] {
  return tools.map((tool) => {
    const description = tool.body
      ? `${tool.description} Body${tool.body.optional ? " (optional)" : ""}: ${tool.body.description}`
      : tool.description;
    return { type: "function", function: { name: tool.name, description, parameters: parametersSchema(tool) } };
  });
}

/** Rules for a call syntax whose tool list the template (or the JSON list below) already gives. */
export function renderSyntaxRules(example: string, bodyExample: string | undefined): string {
  return [
    "You act only through tool calls; each of your turns is exactly one call, written like this:",
    example,
    ...(bodyExample ? [`${bodyRule} It goes right after the call, before any closing marker:`, bodyExample] : []),
  ].join("\n");
}

/** Documentation for the JSON and pythonic family syntaxes without a template: the tools, then the rules. */
export function renderListToolDocs(tools: readonly ToolDefinition[], rules: string): string {
  return ["The tools:", ...toolSchemas(tools).map((t) => JSON.stringify(t)), "", rules].join("\n");
}
