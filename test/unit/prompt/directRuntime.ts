// A minimal direct use of node-llama-cpp for the prompt tests: one sequence, prompt appended once,
// then turns generated under a grammar with observations appended in between (the session stream).
// Used until the project's engine (native/engine) is available to these tests.
import { getLlama, LlamaGrammarEvaluationState, LlamaLogLevel, type Llama, type LlamaGrammar, type LlamaModel, type LlamaContext, type LlamaContextSequence, type Token } from "node-llama-cpp";

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

export class DirectSession {
  private constructor(
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    private readonly grammar: LlamaGrammar,
  ) {}

  static async open(modelPath: string, grammarText: string, contextSize: number): Promise<DirectSession> {
    const llama = await cpuLlama();
    const model = await llama.loadModel({ modelPath });
    // One thread: on 2 cores more threads make single-token generation several times slower.
    // A context large enough for the whole test: a context shift would silently corrupt recurrent state.
    const context = await model.createContext({ contextSize, threads: 1, sequences: 1 });
    const sequence = context.getSequence();
    const grammar = await llama.createGrammar({ grammar: grammarText });
    return new DirectSession(model, context, sequence, grammar);
  }

  async append(text: string): Promise<void> {
    await this.sequence.evaluateWithoutGeneratingNewTokens(this.model.tokenize(text, true));
  }

  async generate(prefix: string, options: { maxTokens: number; temperature: number; seed: number }): Promise<TurnResult> {
    const started = performance.now();
    const state = new LlamaGrammarEvaluationState({ model: this.model, grammar: this.grammar });
    const tokens: Token[] = [];
    let truncated = true;
    const iterator = this.sequence.evaluate(this.model.tokenize(prefix, true), {
      grammarEvaluationState: state,
      temperature: options.temperature,
      seed: options.seed,
    });
    for await (const token of iterator) {
      tokens.push(token);
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
