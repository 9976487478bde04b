// The probe's model runtime: node-llama-cpp in this process, one sequence into which the prompt is
// appended once and turns are generated under a grammar with observations appended in between (the
// session stream). The UTF-8 guard bans tokens that would make invalid bytes (see utf8Guard.ts).
// To be replaced by the project's engine (native/engine) once it exists.
import { tokenBytesFromVocabulary, Utf8Guard } from "../../native/engine/utf8Guard";
import { getLlama, LlamaGrammarEvaluationState, LlamaLogLevel, readGgufFileInfo, TokenBias, type Llama, type LlamaGrammar, type LlamaModel, type LlamaContext, type LlamaContextSequence, type Token } from "node-llama-cpp";

let llamaPromise: Promise<Llama> | undefined;
export function cpuLlama(): Promise<Llama> {
  llamaPromise ??= getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  return llamaPromise;
}

export interface TurnResult {
  readonly text: string;
  readonly tokens: number;
  readonly ms: number;
  /** True when generation hit maxTokens before the grammar completed. */
  readonly truncated: boolean;
}

async function utf8GuardFor(modelPath: string): Promise<Utf8Guard | undefined> {
  const info = await readGgufFileInfo(modelPath, { readTensorInfo: false, logWarnings: false });
  const tokenizer = (info.metadata as unknown as { tokenizer?: { ggml?: { model?: string; tokens?: string[] } } }).tokenizer?.ggml;
  const bytes = tokenizer?.model && tokenizer.tokens ? tokenBytesFromVocabulary(tokenizer.model, tokenizer.tokens) : undefined;
  return bytes ? new Utf8Guard(bytes) : undefined;
}

export interface LlamaSessionOptions {
  readonly contextSize: number;
  readonly threads?: number;
}

export interface GenerateTurnOptions {
  readonly maxTokens: number;
  readonly temperature: number;
  readonly seed: number;
}

export class DirectSession {
  private constructor(
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    private readonly grammar: LlamaGrammar | undefined,
    private readonly guard: Utf8Guard | undefined,
  ) {}

  /** `grammarText` undefined: free generation (for comparisons). */
  static async open(modelPath: string, grammarText: string | undefined, options: LlamaSessionOptions): Promise<DirectSession> {
    const llama = await cpuLlama();
    const model = await llama.loadModel({ modelPath });
    // Few threads: on 2 cores more than one makes single-token generation several times slower.
    // Callers size the context for the whole session: a context shift silently corrupts recurrent state.
    const context = await model.createContext({ contextSize: options.contextSize, threads: options.threads ?? 1, sequences: 1 });
    const sequence = context.getSequence();
    const grammar = grammarText === undefined ? undefined : await llama.createGrammar({ grammar: grammarText });
    return new DirectSession(model, context, sequence, grammar, await utf8GuardFor(modelPath));
  }

  /** Tokens in the sequence so far. */
  get length(): number {
    return this.sequence.nextTokenIndex;
  }

  async append(text: string): Promise<void> {
    await this.sequence.evaluateWithoutGeneratingNewTokens(this.model.tokenize(text, true));
  }

  async generate(prefix: string, options: GenerateTurnOptions): Promise<TurnResult> {
    const started = performance.now();
    const state = this.grammar && new LlamaGrammarEvaluationState({ model: this.model, grammar: this.grammar });
    const tokens: Token[] = [];
    let truncated = true;
    const guard = this.guard;
    guard?.reset();
    const tokenBias = guard ? () => guard.banned().reduce((bias, t) => bias.set(t as Token, "never"), new TokenBias(this.model.tokenizer)) : undefined;
    const iterator = this.sequence.evaluate(this.model.tokenize(prefix, true), {
      ...(state ? { grammarEvaluationState: state } : {}),
      ...(tokenBias ? { tokenBias } : {}),
      temperature: options.temperature,
      seed: options.seed,
    });
    for await (const token of iterator) {
      tokens.push(token);
      guard?.accept(token);
      if (tokens.length >= options.maxTokens) break;
    }
    if (tokens.length < options.maxTokens) truncated = false;
    // Detokenize the whole turn at once: per-token pieces split multi-byte characters.
    return { text: this.model.detokenize(tokens), tokens: tokens.length, ms: performance.now() - started, truncated };
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}
