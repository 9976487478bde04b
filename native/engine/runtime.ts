// One llama.cpp binding per process and GPU choice. Loading prebuilt binaries only: building from
// source is never attempted at runtime (no compiler, no network on users' machines).
import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";

import type { GpuChoice } from "../protocol";

export type { GpuChoice };
export type EngineLogger = (level: "error" | "warn" | "info" | "debug", message: string) => void;

const bindings = new Map<string, Promise<Llama>>();
let currentLogger: EngineLogger | undefined;
// llama.cpp explains a failed load only in its log ("data is not within the file bounds"), while the
// thrown error says "Failed to load model": keep the recent errors to put the reason in the message.
const recentErrors: string[] = [];
const RECENT_ERRORS_KEPT = 8;

/** The llama.cpp error lines logged since the last call (oldest first), and forgets them. */
export function takeRecentLlamaErrors(): string[] {
  return recentErrors.splice(0);
}

function record(level: LlamaLogLevel, message: string): void {
  const text = message.trimEnd();
  const mapped = toLevel(level);
  if (mapped === "error") {
    recentErrors.push(text);
    if (recentErrors.length > RECENT_ERRORS_KEPT) recentErrors.shift();
  }
  currentLogger?.(mapped, text);
}

/** Where llama.cpp's own messages go (one sink per process; the host forwards them to the extension). */
export function setEngineLogger(logger: EngineLogger | undefined): void {
  currentLogger = logger;
}

/** The engine's own messages, to the same sink as llama.cpp's. */
export const engineLog: EngineLogger = (level, message) => currentLogger?.(level, message);

function toLevel(level: LlamaLogLevel): "error" | "warn" | "info" | "debug" {
  switch (level) {
    case LlamaLogLevel.fatal:
    case LlamaLogLevel.error:
      return "error";
    case LlamaLogLevel.warn:
      return "warn";
    case LlamaLogLevel.info:
      return "info";
    default:
      return "debug";
  }
}

export function getRuntime(gpu: GpuChoice = "auto"): Promise<Llama> {
  const key = String(gpu);
  let binding = bindings.get(key);
  if (!binding) {
    binding = getLlama({
      gpu,
      build: "never",
      logLevel: LlamaLogLevel.warn,
      logger: record,
    });
    bindings.set(key, binding);
    binding.catch(() => bindings.delete(key));
  }
  return binding;
}

/** "cpu", or the GPU backend node-llama-cpp loaded ("cuda", "vulkan", "metal"). */
export function backendOf(llama: Llama): string {
  return llama.gpu === false ? "cpu" : llama.gpu;
}
