// The one engine interface the core talks to: a model's append-only token stream (a sequence in
// llama.cpp), generated into under a grammar, appended to, saved to and restored from a state file,
// and freed. native/engine's EngineSession has this shape in-process; the extension's model-host
// client (extension/host/model/remoteModelStream.ts) implements it across the process boundary.
// The git session (core/sessions' Session) is another thing: one branch, its worktree and trace.

export interface ModelAppendOptions {
  /** Template text only: lets chat-template markers become control tokens. Never set for user or tool text. */
  readonly special?: boolean;
  readonly signal?: AbortSignal;
}

export interface ModelGenerateOptions {
  readonly grammar?: string;
  readonly maxTokens: number;
  readonly temperature?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

export interface ModelStream {
  append(text: string, options?: ModelAppendOptions): Promise<{ appendedTokens: number; ms: number }>;
  generate(options: ModelGenerateOptions): Promise<{ text: string; tokens: readonly number[]; ms: number; stopReason?: string }>;
  /** Snapshot: writes the stream's state to `file`. */
  saveState(file: string): Promise<unknown>;
  /** Restore: replaces the stream's state with the one saved in `file`. */
  loadState(file: string): Promise<unknown>;
  /** Frees the stream (its state and memory in the engine); nothing may be called after. */
  dispose(): Promise<void>;
}
