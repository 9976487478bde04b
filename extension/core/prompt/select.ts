// Picks the adapter for a model from its GGUF metadata, unless the user's setting names one.
import { createAdapter, type AdapterOptions, type HermesDialect } from "./adapters";
import type { ProtocolAdapter, ToolCallFormat, ToolCallFormatSetting } from "./types";

export interface ModelFormatHints {
  /** `general.architecture`, e.g. "rwkv7", "mamba2", "granitehybrid". */
  readonly architecture?: string;
  /** `tokenizer.chat_template`. */
  readonly chatTemplate?: string;
}

export interface FormatChoice {
  readonly format: ToolCallFormat;
  readonly options: AdapterOptions;
  /** Why this format, for the log and the probe's output. */
  readonly reason: string;
}

export function chooseFormat(hints: ModelFormatHints, setting: ToolCallFormatSetting = "auto"): FormatChoice {
  const template = hints.chatTemplate ?? "";
  const options: AdapterOptions = { dialect: dialectOf(template), allowThinking: template.includes("<think>") };
  if (setting !== "auto") return { format: setting, options, reason: "set in infiniteToolUse.model.toolCallFormat" };
  if (template.includes("<tool_call>")) return { format: "hermes", options, reason: "the chat template uses <tool_call> tags" };
  const arch = (hints.architecture ?? "").toLowerCase();
  if (/^a?rwkv/.test(arch) && !template.includes("<|im_start|>")) return { format: "rwkv", options, reason: `architecture ${arch}` };
  return { format: "plain", options, reason: "no tool-call format found in the model's metadata" };
}

function dialectOf(template: string): HermesDialect {
  return template.includes("<|start_of_role|>") ? "granite" : "chatml";
}

export function adapterFor(hints: ModelFormatHints, setting: ToolCallFormatSetting = "auto"): ProtocolAdapter {
  const choice = chooseFormat(hints, setting);
  return createAdapter(choice.format, choice.options);
}
