// The vocabulary of protocol adapters: how a model family's prompt looks and how its tool calls are
// written, constrained (GBNF) and read back.
import type { Observation, ToolCall, ToolDefinition } from "../tools/types";

export const TOOL_CALL_FORMATS = ["plain", "hermes", "rwkv", "granite3", "lfm2-json", "lfm2-pythonic", "nemotron"] as const;
export type ToolCallFormat = (typeof TOOL_CALL_FORMATS)[number];
/** The `infiniteToolUse.model.toolCallFormat` setting. */
export type ToolCallFormatSetting = ToolCallFormat | "auto";

/**
 * A piece of the prompt stream. `special` pieces are template text: their marker strings (e.g.
 * <|im_start|>) become the vocabulary's single special tokens. Content (the task, tool output, call
 * arguments) is never special, so text in a file cannot forge a marker.
 */
export interface Segment {
  readonly text: string;
  readonly special: boolean;
}

export function textOf(segments: readonly Segment[]): string {
  return segments.map((s) => s.text).join("");
}

/** Text that is not a well-formed call, with where reading stopped. */
export interface ParseError {
  readonly error: string;
  readonly offset: number;
}

export function isParseError(value: unknown): value is ParseError {
  return typeof value === "object" && value !== null && "error" in value && "offset" in value;
}

/** A call read from a model turn; `thinking` is the text of a `<think>` block before it, if any. */
export interface ParsedCall extends ToolCall {
  readonly thinking?: string;
}

/** Bounds written into the grammar so that every turn ends (models without training never stop on their own). */
export interface GrammarLimits {
  /** Caps every string argument (the parameter's own maxLength still applies when smaller). */
  readonly maxStringChars?: number;
  readonly maxBodyLines?: number;
  readonly maxBodyLineChars?: number;
  readonly maxThinkingLines?: number;
}

export interface ProtocolAdapter {
  readonly format: ToolCallFormat;
  /** Whether the grammar admits a `<think>` block before the call. */
  readonly allowsThinking: boolean;
  /** How the stream is framed: "template" (the model's own chat template) or the built-in framing's name. */
  readonly framing: string;
  /** Markers of the format that the vocabulary should hold as single special tokens. */
  readonly markers: readonly string[];
  /** The system turn: the rules and the tools' documentation. */
  renderPreamble(tools: readonly ToolDefinition[]): string;
  /** The user turn holding the task. */
  renderTask(task: string): string;
  /** Closes the model's turn (whose text was `callText`) and writes the tool's answer as the family's tool-response turn. */
  renderObservation(observation: Observation, callText?: string): string;
  preambleSegments(tools: readonly ToolDefinition[]): Segment[];
  taskSegments(task: string): Segment[];
  observationSegments(observation: Observation, callText?: string): Segment[];
  /** A call's text with its syntax markers as special pieces (to re-append a recorded call). */
  callSegments(text: string): Segment[];
  /** Opens the model's turn; generation under `grammar()` starts right after it. */
  readonly turnPrefix: string;
  /** GBNF admitting exactly the calls of `tools` in this format. */
  /** The turn's grammar; `{ thinking: false }`: the call alone (after a thinking block was closed for the model). */
  grammar(tools: readonly ToolDefinition[], limits?: GrammarLimits, options?: { readonly thinking?: boolean }): string;
  /** What closes a thinking block cut off at the turn's token limit (the fence's end and the blank line), or undefined when the text is not inside one. */
  thinkingCloser(text: string): Segment[] | undefined;
  /** The canonical text of a call (what the grammar generates for it). Throws for a call the format cannot carry. */
  render(call: ToolCall, tools: readonly ToolDefinition[]): string;
  /** Reads one model turn. Arguments are not checked against the registry: see core/tools/validate.ts. */
  parse(text: string, tools: readonly ToolDefinition[]): ParsedCall | ParseError;
}

/** A `<think>` block recorded as what it is to the agent: an append to the notes. */
export function thinkingAsNotesCall(thinking: string): ToolCall {
  return { tool: "notes", args: { action: "append" }, body: thinking };
}
