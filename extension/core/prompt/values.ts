// Argument values: their GBNF, their canonical text and how that text is read back. Values are JSON
// literals restricted so that the grammar, the renderer and the parser agree exactly: strings use
// only the escapes \" \\ \/ \n \r \t (no \u, so no lone surrogates), integers are exact ranges.
import type { ArgValue, ParamSpec, ToolDefinition } from "../tools/types";
import { GrammarBuilder, integerRange, literal, repeat, ruleName, scalarClassExcept, textProblem } from "./gbnf";

/** Integer bounds used when a parameter leaves them open (a 32-bit signed range). */
export const DEFAULT_INT_MIN = -2_147_483_647;
export const DEFAULT_INT_MAX = 2_147_483_647;

export interface StringLimits {
  /** Caps every string parameter below its own maxLength (the smaller one wins). */
  readonly maxStringChars?: number;
}

/** The longest string the grammar admits for `param`, in code points; undefined is unbounded. */
export function stringLimit(param: ParamSpec, limits: StringLimits = {}): number | undefined {
  const own = param.maxLength;
  const cap = limits.maxStringChars;
  if (own === undefined) return cap;
  return cap === undefined ? own : Math.min(own, cap);
}

function defineStringChar(b: GrammarBuilder): string {
  const plain = scalarClassExcept([
    [0x00, 0x1f],
    [0x22, 0x22],
    [0x5c, 0x5c],
    [0x7f, 0x7f],
  ]);
  return b.define("str-char", `${plain} | "\\\\" ["\\\\/nrt]`);
}

/** Defines the rule for one parameter's value; returns the rule name. */
export function defineValue(b: GrammarBuilder, tool: ToolDefinition, param: ParamSpec, limits: StringLimits = {}): string {
  const name = ruleName("v", tool.name, param.name);
  switch (param.type) {
    case "string": {
      const ch = defineStringChar(b);
      return b.define(name, `"\\"" ${repeat(ch, 0, stringLimit(param, limits))} "\\""`);
    }
    case "integer":
      return b.define(name, integerRange(param.min ?? DEFAULT_INT_MIN, param.max ?? DEFAULT_INT_MAX));
    case "boolean":
      return b.define("v-boolean", `"true" | "false"`);
    case "enum": {
      const values = param.values ?? [];
      if (values.length === 0) throw new Error(`enum parameter ${tool.name}.${param.name} has no values`);
      return b.define(name, values.map((v) => literal(renderString(v))).join(" | "));
    }
  }
}

/** A string as the grammar writes it, quotes included. Throws for text the grammar cannot carry. */
export function renderString(text: string): string {
  const problem = stringProblem(text);
  if (problem) throw new Error(problem);
  return `"${text.replace(/[\\"\n\r\t]/g, (c) => STRING_ESCAPES[c]!)}"`;
}

const STRING_ESCAPES: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

export function stringProblem(text: string): string | undefined {
  return textProblem(text);
}

export function renderValue(value: ArgValue): string {
  if (typeof value === "string") return renderString(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
    return String(value);
  }
  return value ? "true" : "false";
}

/** Defines the rules for a tool's arguments in registry order, optional ones omissible. */
export interface ArgsStyle {
  /** Text before a parameter's value, e.g. `"path": ` or `path=`. */
  key(param: ParamSpec): string;
  /** Separator before the first argument and before each later one. */
  readonly firstSeparator: string;
  readonly separator: string;
}

/** Defines one parameter's value rule (JSON literals by default; the pythonic syntax has its own). */
export type ValueDefiner = (b: GrammarBuilder, tool: ToolDefinition, param: ParamSpec, limits: StringLimits) => string;

export function defineArgs(b: GrammarBuilder, tool: ToolDefinition, style: ArgsStyle, limits: StringLimits = {}, define: ValueDefiner = defineValue): string {
  const params = tool.params;
  const base = ruleName("a", tool.name);
  // first-i: arguments i.. with none written yet; more-i: arguments i.. after at least one.
  const first = (i: number) => `${base}-first-${i}`;
  const more = (i: number) => `${base}-more-${i}`;
  for (let i = params.length; i >= 0; i--) {
    if (i === params.length) {
      b.define(first(i), `""`);
      b.define(more(i), `""`);
      continue;
    }
    const param = params[i]!;
    const value = define(b, tool, param, limits);
    const withFirst = `${literal(style.firstSeparator + style.key(param))} ${value} ${more(i + 1)}`;
    const withMore = `${literal(style.separator + style.key(param))} ${value} ${more(i + 1)}`;
    b.define(first(i), param.optional ? `${withFirst} | ${first(i + 1)}` : withFirst);
    b.define(more(i), param.optional ? `${withMore} | ${more(i + 1)}` : withMore);
  }
  return first(0);
}
