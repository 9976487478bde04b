// Argument values: their GBNF, their canonical text and how that text is read back. Values are JSON
// literals restricted so that the grammar, the renderer and the parser agree exactly: strings use
// only the escapes \" \\ \/ \n \r \t (no \u, so no lone surrogates), integers are exact ranges.
//
// Raw text sections (code bodies, thinking) delimited by whole lines, so that code is never escaped.
// The section ends at the first line that is exactly the closing marker; the grammar forbids that
// line inside the text, so the end is unambiguous. Lines may contain tabs, CR and any Unicode.
import type { ArgValue, ParamSpec, ToolDefinition } from "../tools/types";
import { GrammarBuilder, integerRange, literal, repeat, ruleName, scalarClassExcept, textProblem, type CodeRange } from "./gbnf";

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

// Raw text sections (fences).
export interface Fence {
  /** Line that opens the section (the text starts on the next line). */
  readonly open: string;
  /** Line that closes it; never allowed as a line of the text. */
  readonly close: string;
}

export const BODY_FENCE: Fence = { open: "<<<BODY", close: "BODY>>>" };

/** Bounds that make every section finite (a model without training could otherwise never close it). */
export interface FenceLimits {
  readonly maxLines?: number;
  readonly maxLineChars?: number;
}

// Control characters other than tab and CR, and the line feed itself (it separates lines).
const LINE_EXCLUDED: readonly CodeRange[] = [
  [0x00, 0x08],
  [0x0a, 0x0c],
  [0x0e, 0x1f],
  [0x7f, 0x7f],
];

/** Why a text cannot be written in a fence, or undefined when it can. */
export function fenceProblem(text: string, fence: Fence, limits: FenceLimits = {}): string | undefined {
  const lines = text.split("\n");
  if (lines.includes(fence.close)) return `a line of the text is exactly the closing marker "${fence.close}"`;
  const invalid = textProblem(text);
  if (invalid) return `the text ${invalid}`;
  if (limits.maxLines !== undefined && lines.length > limits.maxLines) return `more than ${limits.maxLines} lines`;
  const longest = Math.max(...lines.map((l) => [...l].length));
  if (limits.maxLineChars !== undefined && longest > limits.maxLineChars) return `a line longer than ${limits.maxLineChars} characters`;
  return undefined;
}

/** The fenced section: "\n" open "\n" text "\n" close. */
export function renderFence(text: string, fence: Fence): string {
  return `\n${fence.open}\n${text}\n${fence.close}`;
}

export interface FenceMatch {
  readonly text: string;
  /** Index just after the closing marker. */
  readonly end: number;
}

/** Reads a fenced section starting at `start` (at its leading "\n"); undefined if none is there. */
export function readFence(source: string, start: number, fence: Fence, lead = "\n"): FenceMatch | string | undefined {
  const opener = `${lead}${fence.open}\n`;
  if (!source.startsWith(opener, start)) return undefined;
  const textStart = start + opener.length;
  let lineStart = textStart;
  for (;;) {
    const lineEnd = source.indexOf("\n", lineStart);
    const line = source.slice(lineStart, lineEnd === -1 ? source.length : lineEnd);
    if (line === fence.close) {
      // The text is everything before the "\n" that precedes the closing line.
      const text = lineStart === textStart ? undefined : source.slice(textStart, lineStart - 1);
      if (text === undefined) return `the "${fence.open}" section has no text line before "${fence.close}"`;
      return { text, end: lineStart + line.length };
    }
    if (lineEnd === -1) return `the "${fence.open}" section is not closed by a "${fence.close}" line`;
    lineStart = lineEnd + 1;
  }
}

/**
 * Defines the GBNF rule for a fenced section and returns its name. A text line is any line that is
 * not exactly the closing marker: a proper prefix of it, a line that departs from it at some
 * character, or the marker followed by more characters.
 */
export function defineFence(b: GrammarBuilder, name: string, fence: Fence, limits: FenceLimits = {}, lead = "\n"): string {
  const maxChars = limits.maxLineChars;
  const anyChar = b.define(`${name}-char`, scalarClassExcept(LINE_EXCLUDED));
  const marker = [...fence.close];
  for (let i = marker.length; i >= 0; i--) {
    const room = (used: number) => (maxChars === undefined ? undefined : Math.max(0, maxChars - used));
    const alternatives: string[] = [];
    if (i === marker.length) {
      const rest = room(i);
      if (rest === undefined || rest >= 1) alternatives.push(repeat(anyChar, 1, rest));
    } else {
      if (i > 0) alternatives.push(`""`);
      const differing = scalarClassExcept([...LINE_EXCLUDED, [marker[i]!.codePointAt(0)!, marker[i]!.codePointAt(0)!]]);
      const rest = room(i + 1);
      alternatives.push(rest === 0 ? differing : `${differing} ${repeat(anyChar, 0, rest)}`);
      alternatives.push(`${literal(marker[i]!)} ${name}-line-${i + 1}`);
    }
    // The empty line is the 0-character prefix of the marker.
    b.define(`${name}-line-${i}`, i === 0 ? `"" | ${alternatives.join(" | ")}` : alternatives.join(" | "));
  }
  const lines = limits.maxLines === undefined ? undefined : Math.max(0, limits.maxLines - 1);
  return b.define(
    name,
    `${literal(`${lead}${fence.open}\n`)} ${name}-line-0 ${repeat(`("\\n" ${name}-line-0)`, 0, lines)} ${literal(`\n${fence.close}`)}`,
  );
}
