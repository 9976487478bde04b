// The protocol adapters: one per model family's chat and tool-call format. An adapter is a framing
// (how turns are marked) plus a call syntax (how a call is written) plus, for models trained to
// think, an optional `<think>` block before the call.
import type { Observation, ToolCall, ToolDefinition } from "../tools/types";
import { jsonTaggedSyntax, lineSyntax, type CallSyntax } from "./callSyntax";
import { defineFence, readFence, type Fence } from "./fence";
import { GrammarBuilder } from "./gbnf";
import { renderJsonToolDocs, renderLineToolDocs } from "./toolDocs";
import type { GrammarLimits, ParsedCall, ParseError, ProtocolAdapter, ToolCallFormat } from "./types";

export const THINK_FENCE: Fence = { open: "<think>", close: "</think>" };
const THINK_END = "\n\n";

interface Framing {
  preamble(docs: string): string;
  task(task: string): string;
  observation(observation: Observation): string;
  readonly turnPrefix: string;
}

interface AdapterParts {
  readonly format: ToolCallFormat;
  readonly framing: Framing;
  readonly syntax: CallSyntax;
  readonly docs: (tools: readonly ToolDefinition[]) => string;
  readonly allowThinking: boolean;
}

const SYSTEM_INTRO = "You are a coding agent working in the user's repository.";

function makeAdapter(parts: AdapterParts): ProtocolAdapter {
  const { format, framing, syntax, docs, allowThinking } = parts;
  return {
    format,
    allowsThinking: allowThinking,
    turnPrefix: framing.turnPrefix,
    renderPreamble: (tools) => framing.preamble(`${SYSTEM_INTRO}\n${docs(tools)}`),
    renderTask: (task) => framing.task(task),
    renderObservation: (observation) => framing.observation(observation),
    grammar(tools: readonly ToolDefinition[], limits: GrammarLimits = {}) {
      const b = new GrammarBuilder();
      const call = syntax.define(b, tools, limits);
      if (!allowThinking) b.define("root", call);
      else {
        const think = defineFence(b, "think", THINK_FENCE, { maxLines: limits.maxThinkingLines, maxLineChars: limits.maxBodyLineChars }, "");
        b.define("root", `(${think} "\\n\\n")? ${call}`);
      }
      return b.toString();
    },
    render: (call: ToolCall, tools) => syntax.render(call, tools),
    parse: (text, _tools) => parseTurn(text, syntax, allowThinking),
  };
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

/** Plain framing for models without chat or tool training. */
const plainFraming: Framing = {
  preamble: (docs) => `${docs}\n`,
  task: (task) => `\n# Task\n${task}\n`,
  turnPrefix: "\n# Call\n",
  observation: (o) => `\n# Result${o.ok ? "" : " (failed)"}\n${o.text}\n`,
};

/** RWKV's chat style. A blank line ends a turn in its training data, so observations carry none. */
const rwkvFraming: Framing = {
  preamble: (docs) => `System: ${withoutBlankLines(docs)}\n\n`,
  task: (task) => `User: ${withoutBlankLines(task)}\n\n`,
  turnPrefix: "Assistant: ",
  observation: (o) => `\n\nUser: ${o.ok ? "Result" : "Failed"}:\n${withoutBlankLines(o.text)}\n\n`,
};

function withoutBlankLines(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(/\n\s*\n/g, "\n").trim();
}

/** Chat markers of the two template families that use `<tool_call>` tags. */
export type HermesDialect = "chatml" | "granite";

function hermesFraming(dialect: HermesDialect): Framing {
  const [open, close] = dialect === "granite" ? GRANITE_MARKERS : CHATML_MARKERS;
  const turn = (role: string, text: string) => `${open(role)}${text}${close}\n`;
  return {
    preamble: (docs) => turn("system", docs),
    task: (task) => turn("user", task),
    turnPrefix: open("assistant"),
    observation: (o) => `${close}\n${turn("user", `<tool_response>\n${o.text}\n</tool_response>`)}`,
  };
}

type Markers = readonly [(role: string) => string, string];
const CHATML_MARKERS: Markers = [(role) => `<|im_start|>${role}\n`, "<|im_end|>"];
const GRANITE_MARKERS: Markers = [(role) => `<|start_of_role|>${role}<|end_of_role|>`, "<|end_of_text|>"];

export interface AdapterOptions {
  readonly dialect?: HermesDialect;
  /** Admit a `<think>` block before the call (models trained to think). */
  readonly allowThinking?: boolean;
}

export function createAdapter(format: ToolCallFormat, options: AdapterOptions = {}): ProtocolAdapter {
  const allowThinking = options.allowThinking ?? false;
  switch (format) {
    case "plain":
      return makeAdapter({ format, framing: plainFraming, syntax: lineSyntax, docs: renderLineToolDocs, allowThinking });
    case "rwkv":
      return makeAdapter({ format, framing: rwkvFraming, syntax: lineSyntax, docs: renderLineToolDocs, allowThinking });
    case "hermes":
      return makeAdapter({ format, framing: hermesFraming(options.dialect ?? "chatml"), syntax: jsonTaggedSyntax, docs: renderJsonToolDocs, allowThinking });
  }
}
