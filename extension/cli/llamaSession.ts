// The probe's and the benchmarks' in-process session: the model host's own engine (native/engine)
// without the process around it. One append-only stream: the prompt goes in once, then turns are
// generated under a grammar (with the engine's UTF-8 guard) and observations appended in between.
import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";
import { loadModel, type Digest, type EngineModel, type EngineSession } from "../../native/engine/index";

let llamaPromise: Promise<Llama> | undefined;
/** A CPU runtime for checks that need llama.cpp itself (compiling a grammar). */
export function cpuLlama(): Promise<Llama> {
  llamaPromise ??= getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  return llamaPromise;
}

export interface TurnResult {
  readonly text: string;
  readonly tokens: number;
  readonly tokenIds: readonly number[];
  readonly ms: number;
  /** True when generation hit maxTokens before the grammar completed. */
  readonly truncated: boolean;
}

export interface LlamaSessionOptions {
  /** The window for transformers and hybrids; recurrent models ignore it (their state is fixed). */
  readonly contextSize: number;
  readonly threads?: number;
  /** What a full window is re-primed with (transformers, hybrids); without it a full window fails. */
  readonly onWindowFull?: () => Digest;
}

export interface GenerateTurnOptions {
  readonly maxTokens: number;
  readonly temperature: number;
  readonly seed: number;
}

export class DirectSession {
  private constructor(
    private readonly model: EngineModel,
    private readonly session: EngineSession,
    private readonly grammar: string | undefined,
    private readonly counter = { reprimes: 0 },
  ) {}

  /** How many times a full window was re-primed. */
  get reprimes(): number {
    return this.counter.reprimes;
  }

  /** `grammar` undefined: free generation (for comparisons). */
  static async open(modelPath: string, grammar: string | undefined, options: LlamaSessionOptions): Promise<DirectSession> {
    const model = await loadModel({ path: modelPath, gpu: false, ...(options.threads ? { threads: options.threads } : {}) });
    try {
      const counter = { reprimes: 0 };
      const onWindowFull = options.onWindowFull;
      const session = await model.createSession({
        contextSize: options.contextSize,
        ...(onWindowFull ? { onWindowFull: () => (counter.reprimes++, onWindowFull()) } : {}),
      });
      return new DirectSession(model, session, grammar, counter);
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /** Tokens the window holds (practically unbounded for recurrent models). */
  get capacity(): number {
    return this.session.capacity;
  }

  /** Prompt text: chat-template markers in it become control tokens. Returns its tokens. */
  async append(text: string): Promise<number> {
    return (await this.session.append(text, { special: true })).appendedTokens;
  }

  /** Template pieces with their markers as special tokens, content as plain text. */
  async appendSegments(segments: readonly { text: string; special: boolean }[]): Promise<number> {
    let appended = 0;
    for (const s of segments) if (s.text) appended += (await this.session.append(s.text, { special: s.special })).appendedTokens;
    return appended;
  }

  /** Texts of the vocabulary's special tokens. */
  specialTokens(): string[] {
    return this.model.specialTokens();
  }

  /** The stream's tokens and the text of each (for checks that markers are single tokens). */
  tokens(): number[] {
    return this.session.tokens();
  }

  detokenize(tokens: readonly number[]): string {
    return this.model.detokenize(tokens);
  }

  /** Template text to tokens, special tokens parsed. */
  tokenize(text: string): number[] {
    return this.model.tokenize(text, true);
  }

  async generate(prefix: string, options: GenerateTurnOptions): Promise<TurnResult> {
    const started = performance.now();
    if (prefix) await this.session.append(prefix, { special: true });
    const result = await this.session.generate({ ...(this.grammar !== undefined ? { grammar: this.grammar } : {}), maxTokens: options.maxTokens, temperature: options.temperature, seed: options.seed });
    return { text: result.text, tokens: result.tokens.length, tokenIds: result.tokens, ms: performance.now() - started, truncated: result.stopReason === "maxTokens" };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
