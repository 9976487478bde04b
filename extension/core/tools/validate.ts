// The one check of a call against the registry, used by the agent loop, the tool executor and
// `probe`: the tool exists, every parameter is known and present when required, values have their
// type, strings fit in code points (as the grammar counts) and hold only text the formats can write,
// integers are safe and within bounds (the grammar's default range when a parameter leaves them
// open), and a body is present when needed and fits in its fence. The grammar should make every
// generated call valid; this is the independent gate for everything else.
//
// A call is checked once: the result is kept for the call object (calls are never mutated), so the
// executor does not check again what the loop already checked.
import { BODY_FENCE, DEFAULT_INT_MAX, DEFAULT_INT_MIN, fenceProblem, stringProblem } from "../prompt/values";
import type { ArgValue, ParamSpec, ToolCall, ToolDefinition } from "./types";

/** `error` explains the first problem to the model, naming what would be valid; `problems` lists
 * every problem briefly (probe's report). */
export type Validation = { ok: true; definition: ToolDefinition } | { ok: false; error: string; problems: readonly string[] };

/** One problem in both wordings. */
interface Problem {
  readonly explain: string;
  readonly brief: string;
}

const checked = new WeakMap<ToolCall, { definitions: readonly ToolDefinition[]; validation: Validation }>();

export function validateCall(call: ToolCall, definitions: readonly ToolDefinition[]): Validation {
  const known = checked.get(call);
  if (known?.definitions === definitions) return known.validation;
  const validation = check(call, definitions);
  checked.set(call, { definitions, validation });
  return validation;
}

/** Every problem with a call, briefly; empty when it is valid. */
export function callProblems(call: ToolCall, definitions: readonly ToolDefinition[]): readonly string[] {
  const validation = validateCall(call, definitions);
  return validation.ok ? [] : validation.problems;
}

function check(call: ToolCall, definitions: readonly ToolDefinition[]): Validation {
  const definition = definitions.find((d) => d.name === call.tool);
  if (!definition) {
    const names = definitions.map((d) => d.name).join(", ");
    return invalid([{ explain: `there is no tool "${call.tool}"; the tools are: ${names}`, brief: `unknown tool "${call.tool}" (known: ${names})` }]);
  }
  const problems: Problem[] = [];
  const params = new Set(definition.params.map((p) => p.name));
  const unknown = Object.keys(call.args).filter((k) => !params.has(k));
  if (unknown.length) {
    problems.push({
      explain: `${call.tool} has no parameter ${unknown.map((u) => `"${u}"`).join(", ")}; its parameters are: ${describeParams(definition)}`,
      brief: unknown.map((u) => `${call.tool}: unknown parameter "${u}"`).join("\n"),
    });
  }
  for (const param of definition.params) {
    const value = Object.prototype.hasOwnProperty.call(call.args, param.name) ? call.args[param.name] : undefined;
    const problem = paramProblem(param, value);
    if (problem) problems.push({ explain: `${call.tool}: ${problem.explain}`, brief: problem.brief.startsWith("missing") ? `${call.tool}: ${problem.brief}` : `${call.tool}.${param.name}: ${problem.brief}` });
  }
  const body = bodyProblem(definition, call.body);
  if (body) problems.push(body);
  return problems.length ? invalid(problems) : { ok: true, definition };
}

function invalid(problems: readonly Problem[]): Validation {
  return { ok: false, error: problems[0]!.explain, problems: problems.map((p) => p.brief) };
}

function bodyProblem(tool: ToolDefinition, body: string | undefined): Problem | undefined {
  if (body === undefined) {
    return tool.body && !tool.body.optional ? { explain: `${tool.name} needs a body: ${tool.body.description}`, brief: `${tool.name}: a body is required` } : undefined;
  }
  if (!tool.body) return { explain: `${tool.name} takes no body`, brief: `${tool.name}: takes no body` };
  const problem = fenceProblem(body, BODY_FENCE);
  return problem ? { explain: `${tool.name}: the body cannot be written: ${problem}`, brief: `${tool.name}: body ${problem}` } : undefined;
}

function paramProblem(param: ParamSpec, value: ArgValue | undefined): Problem | undefined {
  const name = `"${param.name}"`;
  if (value === undefined) return param.optional ? undefined : { explain: `the parameter ${name} is missing (${param.description})`, brief: `missing required parameter ${name}` };
  switch (param.type) {
    case "string": {
      if (typeof value !== "string") return { explain: `${name} must be a string`, brief: `expected a string, got ${JSON.stringify(value)}` };
      // maxLength counts code points, as the grammar does (not UTF-16 units).
      const length = [...value].length;
      if (param.maxLength !== undefined && length > param.maxLength) {
        return { explain: `${name} is ${length} characters long; at most ${param.maxLength} are allowed`, brief: `longer than ${param.maxLength} characters (${length})` };
      }
      const text = controlCharacterProblem(value) ?? stringProblem(value);
      return text ? { explain: `${name}: ${text}`, brief: text } : undefined;
    }
    case "integer": {
      if (typeof value !== "number" || !Number.isSafeInteger(value)) return { explain: `${name} must be a whole number`, brief: `expected an integer, got ${JSON.stringify(value)}` };
      const min = param.min ?? DEFAULT_INT_MIN;
      const max = param.max ?? DEFAULT_INT_MAX;
      if (value < min) return { explain: `${name} is ${value}; the smallest allowed is ${min}`, brief: `${value} is outside ${min}..${max}` };
      if (value > max) return { explain: `${name} is ${value}; the largest allowed is ${max}`, brief: `${value} is outside ${min}..${max}` };
      return undefined;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : { explain: `${name} must be true or false`, brief: `expected true or false, got ${JSON.stringify(value)}` };
    case "enum": {
      const values = param.values ?? [];
      if (typeof value === "string" && values.includes(value)) return undefined;
      return { explain: `${name} must be one of ${values.join(", ")}`, brief: `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}` };
    }
  }
}

/** Names the first control character a string holds (a NUL in a path is a classic attack). */
function controlCharacterProblem(text: string): string | undefined {
  const isControl = (c: number) => c === 0x7f || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d);
  const code = [...text].map((ch) => ch.codePointAt(0)!).find(isControl);
  if (code === undefined) return undefined;
  return `contains the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}${code === 0 ? " (NUL)" : ""}, which no tool accepts`;
}

export function describeParams(definition: ToolDefinition): string {
  if (definition.params.length === 0) return "(none)";
  return definition.params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${p.type === "enum" ? (p.values ?? []).join("|") : p.type}`).join(", ");
}
