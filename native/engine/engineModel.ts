// loadModel(): validates the file, loads it through node-llama-cpp and reports what it is.
import { open, stat } from "node:fs/promises";
import type { Llama, LlamaGrammar, LlamaModel } from "node-llama-cpp";
import { EngineError } from "./errors";
import { describeModel, kindOf, type ModelInfo } from "./modelInfo";
import { getRuntime, takeRecentLlamaErrors, type GpuChoice } from "./runtime";
import { EngineSession, type SessionOptions } from "./session";
import { chooseThreads } from "./threads";

export interface LoadModelOptions {
  path: string;
  /** CPU threads; 0 or absent picks for the machine (see threads.ts). */
  threads?: number;
  /** "auto" uses a GPU when node-llama-cpp's prebuilt binaries find one; false forces the CPU. */
  gpu?: GpuChoice;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

const GGUF_MAGIC = Buffer.from("GGUF", "ascii");
const GRAMMAR_CACHE_LIMIT = 16;

async function checkGgufFile(path: string): Promise<number> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new EngineError("NOT_FOUND", `Not a file: ${path}`);
    size = info.size;
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError("NOT_FOUND", `Model file not found: ${path}`);
  }
  const file = await open(path, "r");
  try {
    const head = Buffer.alloc(4);
    await file.read(head, 0, 4, 0);
    if (!head.equals(GGUF_MAGIC)) throw new EngineError("NOT_GGUF", `Not a GGUF model file (no GGUF header): ${path}`);
  } finally {
    await file.close();
  }
  return size;
}

export class EngineModel {
  private readonly grammars = new Map<string, LlamaGrammar>();
  private readonly sessions = new Set<EngineSession>();
  private disposed = false;

  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly info: ModelInfo,
  ) {}

  static async load(options: LoadModelOptions): Promise<EngineModel> {
    const fileSize = await checkGgufFile(options.path);
    const llama = await getRuntime(options.gpu ?? "auto");
    const threads = chooseThreads(options.threads);
    let model: LlamaModel;
    takeRecentLlamaErrors();
    try {
      model = await llama.loadModel({
        modelPath: options.path,
        onLoadProgress: options.onProgress,
        loadSignal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw new EngineError("CANCELLED", "Model load cancelled");
      await new Promise((resolve) => setTimeout(resolve, 50)); // llama.cpp's log lines arrive asynchronously
      const logged = takeRecentLlamaErrors().find((line) => /error loading model|failed to read|not within|corrupt|unknown|invalid/i.test(line));
      const reason = logged?.replace(/^.*?error loading model:\s*/, "") ?? (error instanceof Error ? error.message : String(error));
      throw new EngineError("LOAD_FAILED", `llama.cpp could not load ${options.path}: ${reason}`);
    }
    const stateSize = await measureStateSize(model, threads);
    const info = await describeModel(llama, model, { path: options.path, fileSize, stateSize, threads });
    return new EngineModel(llama, model, info);
  }

  get kind() {
    return kindOf(this.model);
  }

  async createSession(options: SessionOptions = {}): Promise<EngineSession> {
    if (this.disposed) throw new EngineError("DISPOSED", "The model was disposed");
    const session = await EngineSession.create(this, options);
    this.sessions.add(session);
    session.onDispose(() => this.sessions.delete(session));
    return session;
  }

  /** Parsed grammars are cached by source text: each turn reuses the same tool grammar. */
  async grammar(source: string): Promise<LlamaGrammar> {
    const cached = this.grammars.get(source);
    if (cached) return cached;
    let grammar: LlamaGrammar;
    try {
      grammar = await this.llama.createGrammar({ grammar: source });
    } catch (error) {
      throw new EngineError("BAD_GRAMMAR", `Invalid GBNF grammar: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.grammars.size >= GRAMMAR_CACHE_LIMIT) this.grammars.delete(this.grammars.keys().next().value!);
    this.grammars.set(source, grammar);
    return grammar;
  }

  tokenize(text: string, special = false): number[] {
    return this.model.tokenize(text, special);
  }

  detokenize(tokens: readonly number[]): string {
    return this.model.detokenize(tokens as never);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const session of [...this.sessions]) await session.dispose();
    await this.model.dispose();
  }
}

/**
 * The bytes of a session's state after one token: for recurrent models that is the whole
 * per-session state, whatever the length; for others the per-token growth comes on top.
 */
async function measureStateSize(model: LlamaModel, threads: number): Promise<number> {
  const context = await model.createContext({ contextSize: 256, threads, sequences: 1 });
  try {
    const firstToken = model.tokenize("a", false)[0];
    if (firstToken !== undefined) await context.getSequence().evaluateWithoutGeneratingNewTokens([firstToken]);
    return context.stateSize;
  } finally {
    await context.dispose();
  }
}

export function loadModel(options: LoadModelOptions): Promise<EngineModel> {
  return EngineModel.load(options);
}
