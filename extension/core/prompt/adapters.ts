// The protocol adapters: one per model family's chat and tool-call format. An adapter is a framing
// (how turns are marked: the model's own chat template when it has one, else a built-in one) plus a
// call syntax (how a call is written) plus, for models trained to think, an optional `<think>` block
// before the call.
import type { Observation, ToolCall, ToolDefinition } from "../tools/types";
import { jsonTaggedSyntax, lineSyntax, type CallSyntax } from "./callSyntax";
import { markedJsonSyntax, pythonicSyntax } from "./familySyntax";
import { defineFence, readFence, type Fence } from "./values";
import { GrammarBuilder } from "./gbnf";
import { TemplateFraming, type TemplateOptions } from "./templateFraming";
import { renderJsonToolDocs, renderLineToolDocs, renderListToolDocs, renderSyntaxRules } from "./toolDocs";
import { textOf, type GrammarLimits, type ParsedCall, type ParseError, type ProtocolAdapter, type Segment, type ToolCallFormat } from "./types";

export const THINK_FENCE: Fence = { open: "<think>", close: "</think>" };
const THINK_END = "\n\n";

const special = (text: string): Segment => ({ text, special: true });
const content = (text: string): Segment => ({ text, special: false });

interface Framing {
  readonly name: string;
  preamble(system: string, docs: string, tools: readonly ToolDefinition[]): Segment[];
  task(task: string): Segment[];
  observation(observation: Observation, callText: string): Segment[];
  readonly turnPrefix: string;
}

const SYSTEM_INTRO = "You are a coding agent working in the user's repository.";

/** The call syntax of each format, with its markers. */
const SYNTAXES: Record<ToolCallFormat, CallSyntax> = {
  plain: lineSyntax,
  rwkv: lineSyntax,
  hermes: jsonTaggedSyntax,
  granite3: markedJsonSyntax({ open: "<|tool_call|>", close: "", list: true, markers: ["<|tool_call|>"] }),
  "lfm2-json": markedJsonSyntax({ open: "<|tool_call_start|>\n", close: "\n<|tool_call_end|>", list: false, markers: ["<|tool_call_start|>", "<|tool_call_end|>"] }),
  "lfm2-pythonic": pythonicSyntax({ open: "<|tool_call_start|>", close: "<|tool_call_end|>", list: true, markers: ["<|tool_call_start|>", "<|tool_call_end|>"] }),
  nemotron: markedJsonSyntax({ open: "<TOOLCALL>", close: "</TOOLCALL>", list: true, markers: [] }),
};

export function syntaxOf(format: ToolCallFormat): CallSyntax {
  return SYNTAXES[format];
}

function makeAdapter(format: ToolCallFormat, framing: Framing, docs: (tools: readonly ToolDefinition[]) => string, allowThinking: boolean, extraMarkers: readonly string[]): ProtocolAdapter {
  const syntax = SYNTAXES[format];
  const thinkMarkers = allowThinking ? [THINK_FENCE.open, THINK_FENCE.close] : [];
  const markers = [...new Set([...syntax.markers, ...thinkMarkers, ...extraMarkers])];
  const preambleSegments = (tools: readonly ToolDefinition[]) => framing.preamble(SYSTEM_INTRO, docs(tools), tools);
  const observationSegments = (o: Observation, callText = "") => framing.observation(o, callText);
  return {
    format,
    framing: framing.name,
    markers,
    allowsThinking: allowThinking,
    get turnPrefix() {
      return framing.turnPrefix;
    },
    preambleSegments,
    taskSegments: (task) => framing.task(task),
    observationSegments,
    callSegments: (text) => splitMarkers(text, markers),
    renderPreamble: (tools) => textOf(preambleSegments(tools)),
    renderTask: (task) => textOf(framing.task(task)),
    renderObservation: (o, callText) => textOf(observationSegments(o, callText)),
    grammar(tools: readonly ToolDefinition[], limits: GrammarLimits = {}, options = {}) {
      const b = new GrammarBuilder();
      const call = syntax.define(b, tools, limits);
      if (!allowThinking || options.thinking === false) b.define("root", call);
      else {
        const think = defineFence(b, "think", THINK_FENCE, { maxLines: limits.maxThinkingLines, maxLineChars: limits.maxBodyLineChars }, "");
        b.define("root", `(${think} "\\n\\n")? ${call}`);
      }
      return b.toString();
    },
    thinkingCloser: (text) => (allowThinking && isInsideThinking(text) ? [content("\n"), special(THINK_FENCE.close), content(THINK_END)] : undefined),
    render: (call: ToolCall, tools) => syntax.render(call, tools),
    parse: (text, _tools) => parseTurn(text, syntax, allowThinking),
  };
}

/**
 * Whether a turn's text stops inside its thinking block: it opened one and no line closed it (the
 * grammar admits the closing marker alone on a line only as the block's end).
 */
function isInsideThinking(text: string): boolean {
  return text.startsWith(THINK_FENCE.open) && !text.includes(`\n${THINK_FENCE.close}`);
}

/** Marker strings at the ends of a call's text (and its think block) as special pieces. */
export function splitMarkers(text: string, markers: readonly string[]): Segment[] {
  if (markers.length === 0 || !text) return text ? [content(text)] : [];
  const pattern = new RegExp(markers.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  // Only markers at a line's start or end, or at the text's ends, are syntax: one inside an argument is content.
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index;
    const end = at + match[0].length;
    const atEdge = (at === 0 || text[at - 1] === "\n" || text[at - 1] === "]" || text[at - 1] === "}") && (end === text.length || text[end] === "\n" || text[end] === "[");
    if (!atEdge) continue;
    if (at > last) segments.push(content(text.slice(last, at)));
    segments.push(special(match[0]));
    last = end;
  }
  if (last < text.length) segments.push(content(text.slice(last)));
  return segments;
}

function parseTurn(text: string, syntax: CallSyntax, allowThinking: boolean): ParsedCall | ParseError {
  let pos = 0;
  let thinking: string | undefined;
  if (allowThinking && text.startsWith(THINK_FENCE.open)) {
    const block = readFence(text, 0, THINK_FENCE, "");
    if (block === undefined || typeof block === "string") return { error: block ?? "unreadable <think> block", offset: 0 };
    if (!text.startsWith(THINK_END, block.end)) return { error: "expected a blank line after </think>", offset: block.end };
    thinking = block.text;
    pos = block.end + THINK_END.length;
  }
  const read = syntax.read(text, pos);
  if ("error" in read) return read;
  if (read.end !== text.length) return { error: "unexpected text after the call (one call per turn)", offset: read.end };
  return thinking === undefined ? read.call : { ...read.call, thinking };
}

/** Built-in framings: the whole rendered system text is ours (special), the task and tool output are content. */
function builtInFraming(name: string, parts: { preamble: (docs: string) => string; task: [string, string]; turnPrefix: string; observation: (o: Observation) => [string, string] }): Framing {
  return {
    name,
    preamble: (system, docs) => [special(parts.preamble(`${system}\n${docs}`))],
    task: (task) => [special(parts.task[0]), content(task), special(parts.task[1])].filter((s) => s.text),
    turnPrefix: parts.turnPrefix,
    observation: (o) => {
      const [before, after] = parts.observation(o);
      return [special(before), content(o.text), special(after)].filter((s) => s.text);
    },
  };
}

/** Plain framing for models without chat or tool training. */
const plainFraming = builtInFraming("plain", {
  preamble: (docs) => `${docs}\n`,
  task: ["\n# Task\n", "\n"],
  turnPrefix: "\n# Call\n",
  observation: (o) => [`\n# Result${o.ok ? "" : " (failed)"}\n`, "\n"],
});

/** RWKV's chat style. A blank line ends a turn in its training data, so observations carry none. */
const rwkvFraming: Framing = {
  name: "rwkv",
  preamble: (system, docs) => [special(`System: ${withoutBlankLines(`${system}\n${docs}`)}\n\n`)],
  task: (task) => [special("User: "), content(withoutBlankLines(task)), special("\n\n")],
  turnPrefix: "Assistant: ",
  observation: (o) => [special(`\n\nUser: ${o.ok ? "Result" : "Failed"}:\n`), content(withoutBlankLines(o.text)), special("\n\n")],
};

function withoutBlankLines(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(/\n\s*\n/g, "\n").trim();
}

/** Chat markers of the built-in framings for chat-trained families without a usable template. */
export type HermesDialect = "chatml" | "granite" | "nemotron";

function chatFraming(dialect: HermesDialect): Framing {
  if (dialect === "nemotron") {
    return builtInFraming("nemotron", {
      preamble: (docs) => `<SPECIAL_10>System\n${docs}\n\n`,
      task: ["<SPECIAL_11>User\n", "\n"],
      turnPrefix: "<SPECIAL_11>Assistant\n<think></think>",
      observation: () => ["\n<SPECIAL_12>\n\n<SPECIAL_11>User\n<TOOL_RESPONSE>[", "]</TOOL_RESPONSE>\n\n"],
    });
  }
  const [open, close] = dialect === "granite" ? GRANITE_MARKERS : CHATML_MARKERS;
  return builtInFraming(dialect, {
    preamble: (docs) => `${open("system")}${docs}${close}\n`,
    task: [open("user"), `${close}\n`],
    turnPrefix: open("assistant"),
    observation: () => [`${close}\n${open("user")}<tool_response>\n`, `\n</tool_response>${close}\n`],
  });
}

type Markers = readonly [(role: string) => string, string];
const CHATML_MARKERS: Markers = [(role) => `<|im_start|>${role}\n`, "<|im_end|>"];
const GRANITE_MARKERS: Markers = [(role) => `<|start_of_role|>${role}<|end_of_role|>`, "<|end_of_text|>"];
const FRAMING_MARKERS: Record<HermesDialect, readonly string[]> = {
  chatml: ["<|im_start|>", "<|im_end|>"],
  granite: ["<|start_of_role|>", "<|end_of_role|>", "<|end_of_text|>"],
  nemotron: ["<SPECIAL_10>", "<SPECIAL_11>", "<SPECIAL_12>"],
};

/** The template as a framing; throws when it cannot render a conversation with our tools. */
function templateFraming(source: string, options: TemplateOptions, rules: string): Framing {
  const framing = new TemplateFraming(source, options);
  let turnPrefix = "";
  return {
    name: "template",
    preamble: (system, _docs, tools) => {
      const segments = framing.preamble(`${system}\n${rules}`, tools);
      // (templateSystemText() gives the same text, for the tests that render whole conversations.)
      turnPrefix = framing.turnPrefix();
      return segments;
    },
    task: (task) => framing.taskTurn(task),
    observation: (o, callText) => framing.observation(o, callText),
    get turnPrefix() {
      return turnPrefix;
    },
  };
}

export interface AdapterOptions {
  readonly dialect?: HermesDialect;
  /** Admit a `<think>` block before the call (models trained to think). */
  readonly allowThinking?: boolean;
  /** The model's chat template: when given, it frames the stream (see templateFraming.ts). */
  readonly chatTemplate?: string;
  readonly template?: TemplateOptions;
}

/** The syntax's example calls for the rules (one without, one with a body), from the registry's create_file. */
function syntaxRules(format: ToolCallFormat): string {
  const syntax = SYNTAXES[format];
  const tools: ToolDefinition[] = [{ name: "create_file", description: "", params: [{ name: "path", type: "string", description: "" }], body: { description: "" }, effect: "write" } as unknown as ToolDefinition];
  const call = { tool: "create_file", args: { path: "notes/todo.md" } };
  return renderSyntaxRules(syntax.render(call, tools), syntax.render({ ...call, body: "# To do" }, tools));
}

/** The system text the template framing gives the template (before any per-family suffix). */
export function templateSystemText(format: ToolCallFormat): string {
  return `${SYSTEM_INTRO}\n${syntaxRules(format)}`;
}

function defaultDialect(format: ToolCallFormat, dialect: HermesDialect | undefined): HermesDialect {
  if (format === "granite3") return "granite";
  if (format === "nemotron") return "nemotron";
  if (format === "lfm2-json" || format === "lfm2-pythonic") return "chatml";
  return dialect ?? "chatml";
}

export function createAdapter(format: ToolCallFormat, options: AdapterOptions = {}): ProtocolAdapter {
  const allowThinking = options.allowThinking ?? false;
  if (options.chatTemplate !== undefined && format !== "plain") {
    // The template lists the tools itself; the rules add our call convention and the body fence.
    const framing = templateFraming(options.chatTemplate, options.template ?? {}, syntaxRules(format));
    const adapter = makeAdapter(format, framing, () => "", allowThinking, []);
    adapter.preambleSegments([]); // renders once now, so a template that fails does so here
    return adapter;
  }
  switch (format) {
    case "plain":
      return makeAdapter(format, plainFraming, renderLineToolDocs, allowThinking, []);
    case "rwkv":
      return makeAdapter(format, rwkvFraming, renderLineToolDocs, allowThinking, []);
    case "hermes": {
      const dialect = defaultDialect(format, options.dialect);
      return makeAdapter(format, chatFraming(dialect), renderJsonToolDocs, allowThinking, FRAMING_MARKERS[dialect]);
    }
    default: {
      const dialect = defaultDialect(format, options.dialect);
      const rules = syntaxRules(format);
      return makeAdapter(format, chatFraming(dialect), (tools) => renderListToolDocs(tools, rules), allowThinking, FRAMING_MARKERS[dialect]);
    }
  }
}
