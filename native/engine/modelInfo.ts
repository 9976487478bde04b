// What the engine reports about a loaded model, read from its GGUF metadata and the runtime.
import type { Llama, LlamaModel } from "node-llama-cpp";
import { specialTokenTexts } from "./tokenGuards";
import { backendOf } from "./runtime";
import type { ModelInfo, ModelKind } from "../protocol";

export type { ModelInfo, ModelKind };


export function kindOf(model: LlamaModel): ModelKind {
  const insights = model.fileInsights;
  if (insights.isHybrid) return "hybrid";
  if (insights.isRecurrent) return "recurrent";
  return "transformer";
}

function metadataString(model: LlamaModel, read: (m: Record<string, unknown>) => unknown): string | null {
  const value = read(model.fileInfo.metadata as unknown as Record<string, unknown>);
  return typeof value === "string" ? value : null;
}

function vocabularySize(model: LlamaModel): number {
  const tokens = (model.fileInfo.metadata as unknown as { tokenizer?: { ggml?: { tokens?: unknown[] } } }).tokenizer?.ggml?.tokens;
  return Array.isArray(tokens) ? tokens.length : 0;
}

function vocabularyLists(model: LlamaModel): [string[], number[] | undefined] {
  const ggml = (model.fileInfo.metadata as unknown as { tokenizer?: { ggml?: { tokens?: string[]; token_type?: number[] } } }).tokenizer?.ggml;
  return [ggml?.tokens ?? [], ggml?.token_type];
}

export async function describeModel(
  llama: Llama,
  model: LlamaModel,
  facts: { path: string; fileSize: number; stateSize: number; threads: number },
): Promise<ModelInfo> {
  const general = (m: Record<string, unknown>) => m.general as Record<string, unknown> | undefined;
  const tokenizer = (m: Record<string, unknown>) => m.tokenizer as Record<string, unknown> | undefined;
  return {
    path: facts.path,
    name: metadataString(model, (m) => general(m)?.name) ?? facts.path.split(/[\\/]/).pop() ?? facts.path,
    architecture: metadataString(model, (m) => general(m)?.architecture) ?? "unknown",
    kind: kindOf(model),
    parameterCount: model.fileInsights.totalParameters,
    fileSize: facts.fileSize,
    stateSize: facts.stateSize,
    trainContextSize: model.trainContextSize ?? null,
    chatTemplate: metadataString(model, (m) => tokenizer(m)?.chat_template),
    vocabularySize: vocabularySize(model),
    specialTokens: [...specialTokenTexts(...vocabularyLists(model)).values()],
    backend: backendOf(llama),
    gpuDevices: llama.gpu === false ? [] : await llama.getGpuDeviceNames(),
    threads: facts.threads,
  };
}
