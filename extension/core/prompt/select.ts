// Picks the adapter for a model from its GGUF metadata, unless the user's setting names one. The
// tool-call format is read off the chat template by a table of signatures (first row that matches
// wins); the template then frames the stream, or a built-in framing when it cannot.
import { errorMessage } from "../errorMessage";
import { createAdapter, syntaxOf, type AdapterOptions, type HermesDialect } from "./adapters";
import type { TemplateOptions } from "./templateFraming";
import type { ProtocolAdapter, ToolCallFormat, ToolCallFormatSetting } from "./types";

export interface ModelFormatHints {
  /** `general.architecture`, e.g. "rwkv7", "mamba2", "granitehybrid". */
  readonly architecture?: string;
  /** `tokenizer.chat_template`. */
  readonly chatTemplate?: string;
  /** The model's name, for messages. */
  readonly name?: string;
  /** Texts of the vocabulary's special (control and user-defined) tokens, when known. */
  readonly specialTokens?: readonly string[];
}

export interface FormatChoice {
  readonly format: ToolCallFormat;
  readonly options: AdapterOptions;
  /** Why this format, for the log, the panel and the probe's output. */
  readonly reason: string;
  /** Problems met on the way (a template that does not render, a marker without its token), each naming the fallback. */
  readonly warnings: readonly string[];
}

interface FormatRow {
  readonly format: ToolCallFormat;
  /** Every one of these strings is in the template. */
  readonly all: readonly string[];
  readonly family: string;
  readonly dialect?: HermesDialect;
  readonly template?: TemplateOptions;
}

/** Template signatures, most specific first. */
export const FORMAT_TABLE: readonly FormatRow[] = [
  { format: "lfm2-json", all: ["<|tool_call_start|>", '"arguments": '], family: "LFM2 (JSON calls between <|tool_call_start|> and <|tool_call_end|>)" },
  { format: "lfm2-pythonic", all: ["<|tool_call_start|>"], family: "LFM2.5 (pythonic calls between <|tool_call_start|> and <|tool_call_end|>)" },
  // Nemotron's template switches thinking off with /no_think in the system turn (and removes it).
  { format: "nemotron", all: ["<TOOLCALL>"], family: "Nemotron-H (<TOOLCALL>[...]</TOOLCALL>)", dialect: "nemotron", template: { systemSuffix: "\n/no_think" } },
  { format: "granite3", all: ["<|tool_call|>"], family: "Granite 3.x (<|tool_call|>[...])", dialect: "granite" },
  { format: "hermes", all: ["<tool_call>", "<|start_of_role|>"], family: "Granite 4.0 (<tool_call> tags, Granite roles)", dialect: "granite" },
  { format: "hermes", all: ["<tool_call>"], family: "Hermes/Qwen (<tool_call> tags)", dialect: "chatml" },
];

const RWKV_ARCHITECTURE = /^a?rwkv/;

function rowFor(template: string): FormatRow | undefined {
  return FORMAT_TABLE.find((row) => row.all.every((s) => template.includes(s)));
}

export function chooseFormat(hints: ModelFormatHints, setting: ToolCallFormatSetting = "auto"): FormatChoice {
  const template = hints.chatTemplate ?? "";
  const model = hints.name ?? "the model";
  const row = rowFor(template);
  const arch = (hints.architecture ?? "").toLowerCase();
  const base = { allowThinking: template.includes("<think>"), ...(row?.dialect ? { dialect: row.dialect } : {}) };
  let format: ToolCallFormat;
  let reason: string;
  const warnings: string[] = [];
  if (setting !== "auto") {
    format = setting;
    reason = "set in infiniteToolUse.model.toolCallFormat";
  } else if (row) {
    format = row.format;
    reason = `the chat template contains ${row.all.join(" and ")}: ${row.family}`;
  } else if (RWKV_ARCHITECTURE.test(arch) && !template.includes("<|im_start|>")) {
    format = "rwkv";
    reason = `architecture ${arch} (RWKV's User:/Assistant: turns)`;
  } else {
    format = "plain";
    reason = template ? "the chat template has no tool-call syntax we know" : "the model has no chat template";
    if (template) warnings.push(`The chat template of ${model} has no tool-call syntax we know; using the plain format.`);
  }
  const options: AdapterOptions = { ...base, ...(row?.template ? { template: row.template } : {}) };
  const usesTemplate = template !== "" && format !== "plain" && format !== "rwkv";
  const checked = usesTemplate ? checkTemplate(template, format, options, model, warnings) : options;
  const missing = (hints.specialTokens ? syntaxOf(format).markers.filter((m) => !hints.specialTokens!.includes(m)) : []);
  if (missing.length) warnings.push(`The vocabulary of ${model} has no single token for ${missing.join(", ")}; the marker is written as text.`);
  return { format, options: checked, reason, warnings };
}

/** The template frames the stream only if it renders our conversation; else the built-in framing. */
function checkTemplate(template: string, format: ToolCallFormat, options: AdapterOptions, model: string, warnings: string[]): AdapterOptions {
  const withTemplate = { ...options, chatTemplate: template };
  try {
    const adapter = createAdapter(format, withTemplate);
    adapter.renderTask("check");
    adapter.renderObservation({ ok: true, text: "check" }, "check");
    return withTemplate;
  } catch (error) {
    warnings.push(`The chat template of ${model} failed to render (${errorMessage(error)}); using the built-in ${format} framing.`);
    return options;
  }
}

export function adapterFor(hints: ModelFormatHints, setting: ToolCallFormatSetting = "auto"): ProtocolAdapter {
  const choice = chooseFormat(hints, setting);
  return createAdapter(choice.format, choice.options);
}

/** The panel's line under the model name: "format lfm2-json — chosen because the chat template contains …". */
export function formatLine(choice: Pick<FormatChoice, "format" | "reason">): string {
  return `format ${choice.format} — chosen because ${choice.reason}`;
}
