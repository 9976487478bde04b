// The two ways a call is written. JSON-in-tags follows the Hermes/Qwen/Granite templates; the
// line form (`@tool key=value ...`) is for models without tool-call training. Both carry a body as
// a fenced raw section after the arguments.
import type { ArgValue, ToolCall, ToolDefinition } from "../tools/types";
import { BODY_FENCE, defineArgs, defineFence, fenceProblem, readFence, renderFence, renderValue, type ArgsStyle } from "./values";
import { GrammarBuilder, literal, ruleName } from "./gbnf";
import type { GrammarLimits, ParseError } from "./types";

export interface CallSyntax {
  /** Defines the rule for any one call of `tools`; returns its name. */
  define(b: GrammarBuilder, tools: readonly ToolDefinition[], limits: GrammarLimits): string;
  render(call: ToolCall, tools: readonly ToolDefinition[]): string;
  /** Reads a call at `start`; `end` is the index after it. */
  read(text: string, start: number): { call: ToolCall; end: number } | ParseError;
  /** The syntax's fixed markers that a family's vocabulary may hold as single special tokens. */
  readonly markers: readonly string[];
}

export const fail = (error: string, offset: number): ParseError => ({ error, offset });

export function findToolOrThrow(call: ToolCall, tools: readonly ToolDefinition[]): ToolDefinition {
  const tool = tools.find((t) => t.name === call.tool);
  if (!tool) throw new Error(`unknown tool "${call.tool}"`);
  return tool;
}

export function defineBody(b: GrammarBuilder, tool: ToolDefinition, limits: GrammarLimits): string {
  if (!tool.body) return "";
  const fence = defineFence(b, "body", BODY_FENCE, { maxLines: limits.maxBodyLines, maxLineChars: limits.maxBodyLineChars });
  return tool.body.optional ? ` ${fence}?` : ` ${fence}`;
}

export function renderBody(call: ToolCall): string {
  if (call.body === undefined) return "";
  const problem = fenceProblem(call.body, BODY_FENCE);
  if (problem) throw new Error(`body cannot be written: ${problem}`);
  return renderFence(call.body, BODY_FENCE);
}

/** Arguments in registry order, so a rendered call is exactly what the grammar would produce. */
export function orderedArgs(call: ToolCall, tool: ToolDefinition): [string, ArgValue][] {
  return tool.params.filter((p) => call.args[p.name] !== undefined).map((p) => [p.name, call.args[p.name]!]);
}

export function readBody(text: string, pos: number): { body?: string; end: number } | ParseError {
  const fence = readFence(text, pos, BODY_FENCE);
  if (fence === undefined) return { end: pos };
  if (typeof fence === "string") return fail(fence, pos);
  return { body: fence.text, end: fence.end };
}

export const CALL_OPEN = "<tool_call>\n";
export const CALL_CLOSE = "\n</tool_call>";

const jsonArgsStyle: ArgsStyle = { key: (p) => `${JSON.stringify(p.name)}: `, firstSeparator: "", separator: ", " };

/** `<tool_call>\n{"name": "t", "arguments": {...}}[body]\n</tool_call>` */
export const jsonTaggedSyntax: CallSyntax = {
  markers: ["<tool_call>", "</tool_call>"],
  define(b, tools, limits) {
    const alternatives = tools.map((tool) => {
      const args = defineArgs(b, tool, jsonArgsStyle, limits);
      const head = literal(`{"name": ${JSON.stringify(tool.name)}, "arguments": {`);
      return b.define(ruleName("call", tool.name), `${head} ${args} "}}"${defineBody(b, tool, limits)}`);
    });
    return b.define("call", `${literal(CALL_OPEN)} (${alternatives.join(" | ")}) ${literal(CALL_CLOSE)}`);
  },
  render(call, tools) {
    const tool = findToolOrThrow(call, tools);
    const args = orderedArgs(call, tool)
      .map(([k, v]) => `${JSON.stringify(k)}: ${renderValue(v)}`)
      .join(", ");
    return `${CALL_OPEN}{"name": ${JSON.stringify(tool.name)}, "arguments": {${args}}}${renderBody(call)}${CALL_CLOSE}`;
  },
  read(text, start) {
    if (!text.startsWith(CALL_OPEN, start)) return fail(`expected "<tool_call>" and a new line`, start);
    const jsonStart = start + CALL_OPEN.length;
    const lineEnd = text.indexOf("\n", jsonStart);
    const jsonEnd = lineEnd === -1 ? text.length : lineEnd;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.slice(jsonStart, jsonEnd));
    } catch (e) {
      return fail(`the call is not valid JSON: ${(e as Error).message}`, jsonStart);
    }
    const shape = callShape(parsed);
    if (typeof shape === "string") return fail(shape, jsonStart);
    const body = readBody(text, jsonEnd);
    if ("error" in body) return body;
    if (!text.startsWith(CALL_CLOSE, body.end)) return fail(`expected "</tool_call>" on its own line`, body.end);
    return { call: { ...shape, ...(body.body !== undefined ? { body: body.body } : {}) }, end: body.end + CALL_CLOSE.length };
  },
};

export function callShape(parsed: unknown): ToolCall | string {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "the call must be a JSON object";
  const { name, arguments: args, ...rest } = parsed as Record<string, unknown>;
  if (Object.keys(rest).length) return `unexpected keys in the call: ${Object.keys(rest).join(", ")}`;
  if (typeof name !== "string") return `"name" must be a string`;
  if (typeof args !== "object" || args === null || Array.isArray(args)) return `"arguments" must be a JSON object`;
  for (const [k, v] of Object.entries(args)) {
    if (!["string", "number", "boolean"].includes(typeof v)) return `argument "${k}" must be a string, number or boolean`;
  }
  return { tool: name, args: args as Record<string, ArgValue> };
}

const lineArgsStyle: ArgsStyle = { key: (p) => `${p.name}=`, firstSeparator: " ", separator: " " };

/** `@tool key=value key="text"[body]` */
export const lineSyntax: CallSyntax = {
  markers: [],
  define(b, tools, limits) {
    const alternatives = tools.map((tool) => {
      const args = defineArgs(b, tool, lineArgsStyle, limits);
      return b.define(ruleName("call", tool.name), `${literal(`@${tool.name}`)} ${args}${defineBody(b, tool, limits)}`);
    });
    return b.define("call", alternatives.join(" | "));
  },
  render(call, tools) {
    const tool = findToolOrThrow(call, tools);
    const args = orderedArgs(call, tool).map(([k, v]) => ` ${k}=${renderValue(v)}`);
    return `@${tool.name}${args.join("")}${renderBody(call)}`;
  },
  read(text, start) {
    const head = /^@([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(start));
    if (!head) return fail(`expected "@" and a tool name`, start);
    const args: Record<string, ArgValue> = {};
    let pos = start + head[0].length;
    while (text[pos] === " ") {
      const arg = readLineArg(text, pos + 1);
      if ("error" in arg) return arg;
      if (Object.prototype.hasOwnProperty.call(args, arg.key)) return fail(`argument "${arg.key}" given twice`, pos + 1);
      args[arg.key] = arg.value;
      pos = arg.end;
    }
    const body = readBody(text, pos);
    if ("error" in body) return body;
    return { call: { tool: head[1]!, args, ...(body.body !== undefined ? { body: body.body } : {}) }, end: body.end };
  },
};

function readLineArg(text: string, start: number): { key: string; value: ArgValue; end: number } | ParseError {
  const key = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(text.slice(start, start + 200));
  if (!key) return fail(`expected an argument as name=value`, start);
  const valueStart = start + key[0].length;
  const valueEnd = text[valueStart] === '"' ? jsonStringEnd(text, valueStart) : scanToDelimiter(text, valueStart);
  if (valueEnd === undefined) return fail(`unterminated string for "${key[1]}"`, valueStart);
  let value: unknown;
  try {
    value = JSON.parse(text.slice(valueStart, valueEnd));
  } catch {
    return fail(`the value of "${key[1]}" is not a JSON string, integer or boolean`, valueStart);
  }
  if (!["string", "number", "boolean"].includes(typeof value)) return fail(`the value of "${key[1]}" must be a string, integer or boolean`, valueStart);
  return { key: key[1]!, value: value as ArgValue, end: valueEnd };
}

function jsonStringEnd(text: string, quote: number): number | undefined {
  for (let i = quote + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
    else if (text[i] === "\n") return undefined;
  }
  return undefined;
}

function scanToDelimiter(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== " " && text[i] !== "\n") i++;
  return i;
}
