// The model families of ../shared/model-families/ (reference chat templates with provenance, never
// copied into the project): for each, the template file, the family's real special tokens (added to
// the tiny byte vocabulary as control tokens) and the format it must be given from the GGUF alone.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TinyArchitecture } from "./architectures";

export interface ModelFamily {
  readonly id: string;
  /** File in ../shared/model-families/; undefined: the family has no Jinja template (RWKV). */
  readonly template?: string;
  readonly specialTokens: readonly string[];
  /** A tiny architecture close to the family's (Nemotron-H and Granite 3.3 have no tiny generator of their own). */
  readonly arch: TinyArchitecture;
  readonly format: string;
}

const LFM2_TOKENS = ["<|startoftext|>", "<|im_start|>", "<|im_end|>", "<|tool_call_start|>", "<|tool_call_end|>", "<think>", "</think>"];

export const MODEL_FAMILIES: readonly ModelFamily[] = [
  { id: "qwen3", template: "qwen3-0.6b.jinja", arch: "llama", format: "hermes", specialTokens: ["<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>", "<think>", "</think>"] },
  { id: "granite-3.3", template: "granite-3.3-2b-instruct.jinja", arch: "granitehybrid", format: "granite3", specialTokens: ["<|start_of_role|>", "<|end_of_role|>", "<|end_of_text|>", "<|tool_call|>", "<|start_of_cite|>", "<|end_of_cite|>"] },
  { id: "lfm2", template: "lfm2-8b-a1b.jinja", arch: "lfm2", format: "lfm2-json", specialTokens: [...LFM2_TOKENS, "<|tool_list_start|>", "<|tool_list_end|>", "<|tool_response_start|>", "<|tool_response_end|>"] },
  { id: "lfm2.5", template: "lfm2.5-8b-a1b.jinja", arch: "lfm2", format: "lfm2-pythonic", specialTokens: LFM2_TOKENS },
  { id: "nemotron-nano-v2", template: "nemotron-nano-v2.jinja", arch: "mamba2", format: "nemotron", specialTokens: ["<SPECIAL_10>", "<SPECIAL_11>", "<SPECIAL_12>", "<think>", "</think>"] },
  { id: "rwkv-world", arch: "rwkv7", format: "rwkv", specialTokens: [] },
];

/** ../shared/model-families beside the repository, or undefined when it is missing (outside CI). */
export function familiesDir(repoRoot = process.cwd()): string | undefined {
  const dir = resolve(repoRoot, "..", "shared", "model-families");
  if (existsSync(join(dir, "README.md"))) return dir;
  if (process.env.CI === "true") throw new Error(`the reference templates are missing: ${dir} (CI needs ../shared/model-families)`);
  return undefined;
}

export function readTemplate(dir: string, family: ModelFamily): string | undefined {
  return family.template ? readFileSync(join(dir, family.template), "utf8") : undefined;
}
