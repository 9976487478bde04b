// The call syntaxes of model families whose calls are a JSON object or list between markers
// (LFM2, Granite 3.x, Nemotron-H) or a pythonic list (LFM2.5). One call per turn, so a list holds
// exactly one call. A code body stays raw text: it is the fenced section (<<<BODY ... BODY>>>) after
// the JSON or pythonic call and before the closing marker, never a JSON-escaped argument.
import type { ArgValue, ParamSpec, ToolDefinition } from "../tools/types";
import { callShape, defineBody, fail, findToolOrThrow, orderedArgs, readBody, renderBody, type CallSyntax } from "./callSyntax";
import { GrammarBuilder, integerRange, literal, repeat, ruleName, scalarClassExcept, textProblem } from "./gbnf";
import type { ParseError } from "./types";
import { DEFAULT_INT_MAX, DEFAULT_INT_MIN, defineArgs, renderValue, stringLimit, type ArgsStyle, type StringLimits } from "./values";

export interface MarkedSyntaxShape {
  /** Text before the call, e.g. "<|tool_call_start|>\n" (its marker part is `markers[0]`). */
  readonly open: string;
  /** Text after the call (and after the body); "" when the turn simply ends (Granite 3.x). */
  readonly close: string;
  /** Whether the call is wrapped in a one-element list `[...]`. */
  readonly list: boolean;
  readonly markers: readonly string[];
}

const jsonArgsStyle: ArgsStyle = { key: (p) => `${JSON.stringify(p.name)}: `, firstSeparator: "", separator: ", " };

/** After a body the closing marker goes on its own line, so the body's last line stays exact. */
function closeAfterBody(shape: MarkedSyntaxShape): string {
  return shape.close === "" || shape.close.startsWith("\n") ? shape.close : `\n${shape.close}`;
}

/** `open [{"name": "t", "arguments": {...}}] [body] close`, the list brackets when `list`. */
export function markedJsonSyntax(shape: MarkedSyntaxShape): CallSyntax {
  const [lo, lc] = shape.list ? ["[", "]"] : ["", ""];
  return {
    markers: shape.markers,
    define(b, tools, limits) {
      const alternatives = tools.map((tool) => {
        const args = defineArgs(b, tool, jsonArgsStyle, limits);
        const head = literal(`${lo}{"name": ${JSON.stringify(tool.name)}, "arguments": {`);
        const json = `${head} ${args} ${literal(`}}${lc}`)}`;
        if (!tool.body) return b.define(ruleName("call", tool.name), `${json}${shape.close ? ` ${literal(shape.close)}` : ""}`);
        const body = defineBody(b, tool, limits);
        const withBody = `${body.trim().replace(/\?$/, "")}${closeAfterBody(shape) ? ` ${literal(closeAfterBody(shape))}` : ""}`;
        const plainClose = shape.close ? literal(shape.close) : `""`;
        const tail = tool.body.optional ? `(${withBody} | ${plainClose})` : `${withBody}`;
        return b.define(ruleName("call", tool.name), `${json} ${tail}`);
      });
      return b.define("call", `${literal(shape.open)} (${alternatives.join(" | ")})`);
    },
    render(call, tools) {
      const tool = findToolOrThrow(call, tools);
      const args = orderedArgs(call, tool).map(([k, v]) => `${JSON.stringify(k)}: ${renderValue(v)}`).join(", ");
      const body = renderBody(call);
      return `${shape.open}${lo}{"name": ${JSON.stringify(tool.name)}, "arguments": {${args}}}${lc}${body}${body ? closeAfterBody(shape) : shape.close}`;
    },
    read(text, start) {
      if (!text.startsWith(shape.open, start)) return fail(`expected ${JSON.stringify(shape.open)}`, start);
      let pos = start + shape.open.length;
      if (shape.list) {
        if (text[pos] !== "[") return fail(`expected "[" (the call is a JSON list)`, pos);
        pos++;
      }
      const end = jsonObjectEnd(text, pos);
      if (end === undefined) return fail("the call is not a complete JSON object", pos);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text.slice(pos, end));
      } catch (e) {
        return fail(`the call is not valid JSON: ${(e as Error).message}`, pos);
      }
      const call = callShape(parsed);
      if (typeof call === "string") return fail(call, pos);
      pos = end;
      if (shape.list) {
        if (text[pos] !== "]") return fail(`expected "]": one call per turn`, pos);
        pos++;
      }
      return finish(text, pos, call, shape);
    },
  };
}

function finish(text: string, pos: number, call: { tool: string; args: Record<string, ArgValue> }, shape: MarkedSyntaxShape) {
  const body = readBody(text, pos);
  if ("error" in body) return body;
  const close = body.body === undefined ? shape.close : closeAfterBody(shape);
  if (!text.startsWith(close, body.end)) return fail(`expected ${JSON.stringify(close)} after the call`, body.end);
  return { call: { ...call, ...(body.body !== undefined ? { body: body.body } : {}) }, end: body.end + close.length };
}

/** Index after the JSON object starting at `start` (strings and nesting respected), or undefined. */
function jsonObjectEnd(text: string, start: number): number | undefined {
  if (text[start] !== "{") return undefined;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

// Pythonic values (LFM2.5's template writes strings in single quotes and calls as f(k=v)). Strings
// escape only \\ \' \n \r \t, as Python's repr would; booleans are Python's True and False (the
// template's `| string` renders a Python bool so under Python Jinja, which trained the model).
const PY_ESCAPES: Record<string, string> = { "\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const PY_UNESCAPES: Record<string, string> = { "\\": "\\", "'": "'", n: "\n", r: "\r", t: "\t" };

export function renderPythonValue(value: ArgValue): string {
  if (typeof value === "string") {
    const problem = textProblem(value);
    if (problem) throw new Error(problem);
    return `'${value.replace(/[\\'\n\r\t]/g, (c) => PY_ESCAPES[c]!)}'`;
  }
  if (typeof value === "boolean") return value ? "True" : "False";
  return renderValue(value);
}

function definePythonValue(b: GrammarBuilder, tool: ToolDefinition, param: ParamSpec, limits: StringLimits): string {
  const name = ruleName("pv", tool.name, param.name);
  switch (param.type) {
    case "string": {
      const plain = scalarClassExcept([[0x00, 0x1f], [0x27, 0x27], [0x5c, 0x5c], [0x7f, 0x7f]]);
      const ch = b.define("py-str-char", `${plain} | "\\\\" [\\\\'nrt]`);
      return b.define(name, `"'" ${repeat(ch, 0, stringLimit(param, limits))} "'"`);
    }
    case "integer":
      return b.define(name, integerRange(param.min ?? DEFAULT_INT_MIN, param.max ?? DEFAULT_INT_MAX));
    case "boolean":
      return b.define("py-boolean", `"True" | "False"`);
    case "enum": {
      const values = param.values ?? [];
      if (values.length === 0) throw new Error(`enum parameter ${tool.name}.${param.name} has no values`);
      return b.define(name, values.map((v) => literal(renderPythonValue(v))).join(" | "));
    }
  }
}

const pythonArgsStyle: ArgsStyle = { key: (p) => `${p.name}=`, firstSeparator: "", separator: ", " };

/** `open [tool(k='v', n=1)] [body] close` */
export function pythonicSyntax(shape: MarkedSyntaxShape): CallSyntax {
  return {
    markers: shape.markers,
    define(b, tools, limits) {
      const alternatives = tools.map((tool) => {
        const args = defineArgs(b, tool, pythonArgsStyle, limits, definePythonValue);
        const head = `${literal(`[${tool.name}(`)} ${args} ${literal(")]")}`;
        const body = tool.body ? defineBody(b, tool, limits).trim().replace(/\?$/, "") : "";
        const tail = !tool.body ? literal(shape.close) : tool.body.optional ? `(${body} ${literal(closeAfterBody(shape))} | ${literal(shape.close)})` : `${body} ${literal(closeAfterBody(shape))}`;
        return b.define(ruleName("call", tool.name), `${head} ${tail}`);
      });
      return b.define("call", `${literal(shape.open)} (${alternatives.join(" | ")})`);
    },
    render(call, tools) {
      const tool = findToolOrThrow(call, tools);
      const args = orderedArgs(call, tool).map(([k, v]) => `${k}=${renderPythonValue(v)}`).join(", ");
      const body = renderBody(call);
      return `${shape.open}[${tool.name}(${args})]${body}${body ? closeAfterBody(shape) : shape.close}`;
    },
    read(text, start) {
      if (!text.startsWith(shape.open, start)) return fail(`expected ${JSON.stringify(shape.open)}`, start);
      const head = /^\[([A-Za-z_][A-Za-z0-9_]*)\(/.exec(text.slice(start + shape.open.length, start + shape.open.length + 80));
      if (!head) return fail(`expected "[" and a tool name with "("`, start + shape.open.length);
      let pos = start + shape.open.length + head[0].length;
      const args: Record<string, ArgValue> = {};
      while (text[pos] !== ")") {
        if (Object.keys(args).length > 0) {
          if (!text.startsWith(", ", pos)) return fail(`expected ", " or ")"`, pos);
          pos += 2;
        }
        const arg = readPythonArg(text, pos);
        if ("error" in arg) return arg;
        if (Object.prototype.hasOwnProperty.call(args, arg.key)) return fail(`argument "${arg.key}" given twice`, pos);
        args[arg.key] = arg.value;
        pos = arg.end;
      }
      if (!text.startsWith(")]", pos)) return fail(`expected ")]": one call per turn`, pos);
      return finish(text, pos + 2, { tool: head[1]!, args }, shape);
    },
  };
}

function readPythonArg(text: string, start: number): { key: string; value: ArgValue; end: number } | ParseError {
  const key = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(text.slice(start, start + 200));
  if (!key) return fail("expected an argument as name=value", start);
  let pos = start + key[0].length;
  if (text[pos] === "'") {
    let value = "";
    for (pos++; pos < text.length && text[pos] !== "'"; pos++) {
      const c = text[pos]!;
      if (c === "\n") return fail(`unterminated string for "${key[1]}"`, pos);
      if (c !== "\\") value += c;
      else {
        const escaped = PY_UNESCAPES[text[pos + 1] ?? ""];
        if (escaped === undefined) return fail(`unknown escape in the string for "${key[1]}"`, pos);
        value += escaped;
        pos++;
      }
    }
    if (pos >= text.length) return fail(`unterminated string for "${key[1]}"`, pos);
    return { key: key[1]!, value, end: pos + 1 };
  }
  const word = /^(True|False|-?\d+)/.exec(text.slice(pos, pos + 24));
  if (!word) return fail(`the value of "${key[1]}" must be a quoted string, an integer, True or False`, pos);
  const value: ArgValue = word[1] === "True" ? true : word[1] === "False" ? false : Number(word[1]);
  return { key: key[1]!, value, end: pos + word[1]!.length };
}
