// The model-host wire protocol (JSON-RPC over the child process's IPC channel), shared by both ends:
// the host (native/main.ts) and the extension's client (extension/host/model/). Every message is a
// typed constant, so a mismatch fails the type-check at both ends. The protocol declares the types;
// the engine implements them (it imports them from here, never the other way round).
import { NotificationType, RequestType, RequestType0 } from "vscode-jsonrpc";

// ---- what the engine (native/engine/) implements and reports ------------------------------------

export type GpuChoice = "auto" | false | "cuda" | "vulkan" | "metal";

export type ModelKind = "recurrent" | "hybrid" | "transformer";

export interface ModelInfo {
  path: string;
  name: string;
  /** general.architecture, e.g. "mamba2", "rwkv7", "granitehybrid", "llama". */
  architecture: string;
  kind: ModelKind;
  parameterCount: number;
  fileSize: number;
  /** Bytes of a session's state holding one token: the whole recurrent state for recurrent models. */
  stateSize: number;
  /** Context length the model was trained with, when the GGUF says. */
  trainContextSize: number | null;
  /** tokenizer.chat_template from the GGUF, when present. */
  chatTemplate: string | null;
  vocabularySize: number;
  /** Texts of the vocabulary's control and user-defined tokens (a family's markers among them). */
  specialTokens: string[];
  /** "cpu", "cuda", "vulkan" or "metal". */
  backend: string;
  gpuDevices: string[];
  threads: number;
}

export interface WindowFullEvent {
  tokenCount: number;
  capacity: number;
  /** Tokens the refused operation needed on top of tokenCount. */
  needed: number;
}

/** A piece of a prompt: template markers (special: true) become the vocabulary's control tokens, all
 * other text (the user's goal, notes, steps) is tokenized as plain text, so it can never forge one. */
export interface PromptSegment {
  text: string;
  special: boolean;
}

/** One re-prime prompt: plain text (no special tokens parsed), or segments. */
export type DigestPrompt = string | readonly PromptSegment[];

/** A re-prime's prompt, or candidates for it, most complete first. */
export type Digest = DigestPrompt | readonly DigestPrompt[];

export interface RePrime {
  droppedTokens: number;
  digestTokens: number;
}

export interface AppendResult {
  appendedTokens: number;
  tokenCount: number;
  ms: number;
  reprimed?: RePrime;
}

/** How a turn is generated (native/engine/session.ts adds a signal and a token callback). */
export interface GenerationSettings {
  /** GBNF source; every output is then a sentence of it (or a prefix, when maxTokens stops it). */
  grammar?: string;
  maxTokens: number;
  /** 0 is greedy. */
  temperature?: number;
  seed?: number;
  topK?: number;
  topP?: number;
}

export type StopReason = "end" | "maxTokens" | "cancelled";

export interface GenerateResult {
  text: string;
  tokens: number[];
  ms: number;
  stopReason: StopReason;
  tokenCount: number;
  reprimed?: RePrime;
}

/** What to download and check (native/engine/download.ts adds progress and a signal). */
export interface DownloadRequest {
  /** "hf:<user>/<repo>/<file>.gguf", "hf:<user>/<repo>:<quant>" or an http(s) URL. */
  uri: string;
  directory: string;
  fileName?: string;
  expectedSize?: number;
  sha256?: string;
  /** Base URL for hf: URIs (tests point it at a local server). */
  huggingFaceEndpoint?: string;
}

export interface DownloadedModel {
  path: string;
  bytes: number;
  /** True when the file was already complete on disk. */
  reused: boolean;
}

// ---- the wire -------------------------------------------------------------------------------------

export const PROTOCOL_VERSION = 1;

/** JSON-RPC error code for engine errors; `data.engineCode` says which (see native/engine/errors.ts). */
export const ENGINE_ERROR = -32001;
export interface EngineErrorData {
  engineCode: string;
  details?: Record<string, unknown>;
}

export interface HelloResult {
  pid: number;
  protocolVersion: number;
  node: string;
}
export const HelloRequest = new RequestType0<HelloResult, void>("host/hello");

export interface LoadModelParams {
  path: string;
  threads?: number;
  gpu?: GpuChoice;
}
/** Loads (or replaces) the host's one model; progress arrives as LoadProgressNotification. */
export const LoadModelRequest = new RequestType<LoadModelParams, ModelInfo, void>("model/load");
export const ModelInfoRequest = new RequestType0<ModelInfo | null, void>("model/info");
export const UnloadModelRequest = new RequestType0<void, void>("model/unload");

export interface CreateSessionParams {
  /** Window for transformers/hybrids; ignored for recurrent models. */
  contextSize?: number;
  /** When the window fills, ask the client for a digest (WindowFullRequest) instead of failing. */
  reprimeOnWindowFull?: boolean;
}
export interface SessionRef {
  sessionId: string;
}
export interface SessionCreated extends SessionRef {
  contextSize: number;
}
export const CreateSessionRequest = new RequestType<CreateSessionParams, SessionCreated, void>("session/create");
export const DisposeSessionRequest = new RequestType<SessionRef, void, void>("session/dispose");

export interface AppendParams extends SessionRef {
  text: string;
  /** Parse special-token text (template markup only, never user or workspace text). */
  special?: boolean;
}
export const AppendRequest = new RequestType<AppendParams, AppendResult, void>("session/append");

/** The engine's options, less what cannot cross a process boundary (callbacks, signals). */
export interface GenerateParams extends SessionRef, GenerationSettings {
  /** Send TokenNotification for each text delta, tagged with this id. */
  streamId?: string;
}
/** Cancel through JSON-RPC cancellation: the result then has stopReason "cancelled". */
export const GenerateRequest = new RequestType<GenerateParams, GenerateResult, void>("session/generate");

export interface StateFileParams extends SessionRef {
  file: string;
}
export const SaveStateRequest = new RequestType<StateFileParams, { fileSize: number; ms: number }, void>("session/saveState");
export const LoadStateRequest = new RequestType<StateFileParams, { tokenCount: number; ms: number }, void>("session/loadState");
export const ReprimeRequest = new RequestType<SessionRef & { digest: Digest }, RePrime, void>("session/reprime");
export const TokenCountRequest = new RequestType<SessionRef, number, void>("session/tokenCount");
/** Diagnostics and tests: the next-token logits (consumes the held-back token, see EngineSession). */
export const NextTokenLogitsRequest = new RequestType<SessionRef, number[], void>("session/nextTokenLogits");

/**
 * Host -> client: the window is full; the client answers with the digest to re-prime with, or
 * candidates for it, most complete first (the host uses the first that leaves room).
 */
export const WindowFullRequest = new RequestType<SessionRef & { event: WindowFullEvent }, { digest: Digest }, void>("session/windowFull");

export interface DownloadModelParams extends DownloadRequest {
  /** Tags DownloadProgressNotification. */
  downloadId: string;
}
/** Downloads run in the host: node-llama-cpp (and its downloader) never loads in the extension. */
export const DownloadModelRequest = new RequestType<DownloadModelParams, DownloadedModel, void>("model/download");
export const DownloadProgressNotification = new NotificationType<{ downloadId: string; downloadedBytes: number; totalBytes: number }>("model/downloadProgress");

export const LoadProgressNotification = new NotificationType<{ path: string; fraction: number }>("model/loadProgress");
export const LogNotification = new NotificationType<{ level: "error" | "warn" | "info" | "debug"; message: string }>("host/log");
export const TokenNotification = new NotificationType<{ streamId: string; text: string }>("session/token");
