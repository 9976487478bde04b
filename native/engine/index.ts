// The in-process model engine (plain Node; owns node-llama-cpp). Run it in a separate process when
// a crash must not take the caller down: ggml asserts abort the whole process.
export { loadModel, EngineModel, type LoadModelOptions } from "./engineModel";
export {
  EngineSession, RECURRENT_CONTEXT_SIZE,
  type SessionOptions, type AppendOptions, type AppendResult, type GenerateOptions, type GenerateResult,
  type StopReason, type WindowFullEvent, type RePrime, type Digest,
} from "./session";
export { EngineError, isEngineError, type EngineErrorCode } from "./errors";
export { chooseThreads } from "./threads";
export { setEngineLogger, type GpuChoice, type EngineLogger } from "./runtime";
export type { ModelInfo, ModelKind } from "./modelInfo";
export { downloadModel, sha256Of, type DownloadModelOptions, type DownloadedModel } from "./download";
export { hasGgufHeader } from "./ggufHeader";
