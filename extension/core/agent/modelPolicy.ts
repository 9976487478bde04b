// The model as a policy. The session stream is append-only: the preamble (tool documentation) and
// the task go in once, then each turn's generated call and its observation are appended; history is
// never re-sent. Every turn is generated under the tool-call grammar; output that still does not
// parse becomes an observation for the model, never a crash.
import type { Observation, ToolCall, ToolDefinition } from "../tools/types";
import type { Policy, PolicyStart, PolicyTurn } from "./types";

/** The part of a protocol adapter (extension/core/prompt/) the loop needs. */
export interface ToolCallAdapter<Grammar = unknown> {
  preamble(tools: readonly ToolDefinition[]): string;
  task(text: string): string;
  /** Renders an observation, including whatever opens the model's next turn in its format. */
  observation(observation: Observation): string;
  grammar(tools: readonly ToolDefinition[]): Grammar;
  parse(text: string): ToolCall | { readonly error: string };
}

export interface GenerateOptions<Grammar = unknown> {
  readonly grammar: Grammar;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly seed: number;
  readonly signal: AbortSignal;
}

/** The part of a model session (native/engine/, through the model host) the loop needs. */
export interface ModelSession<Grammar = unknown> {
  append(text: string, signal: AbortSignal): Promise<{ tokens: number }>;
  /** Generates one turn; the generated text stays in the session stream. */
  generate(options: GenerateOptions<Grammar>): Promise<{ text: string; tokens: number; ms: number }>;
  saveState?(path: string): Promise<void>;
}

export interface SamplingOptions {
  readonly temperature: number;
  readonly seed: number;
  /** Longest turn; a call with a code body needs room. */
  readonly maxTokensPerTurn: number;
}

export class ModelPolicy<Grammar = unknown> implements Policy {
  readonly name = "model";
  private grammar: Grammar | undefined;

  constructor(
    private readonly adapter: ToolCallAdapter<Grammar>,
    private readonly session: ModelSession<Grammar>,
    private readonly sampling: SamplingOptions,
  ) {}

  async start({ task, tools, signal }: PolicyStart): Promise<{ tokens: number }> {
    this.grammar = this.adapter.grammar(tools);
    return this.session.append(this.adapter.preamble(tools) + this.adapter.task(task), signal);
  }

  async next(signal: AbortSignal): Promise<PolicyTurn> {
    if (this.grammar === undefined) throw new Error("ModelPolicy.next() called before start()");
    const out = await this.session.generate({
      grammar: this.grammar,
      maxTokens: this.sampling.maxTokensPerTurn,
      temperature: this.sampling.temperature,
      seed: this.sampling.seed,
      signal,
    });
    const parsed = this.adapter.parse(out.text);
    if ("error" in parsed) return { kind: "invalid", raw: out.text, error: `the output did not parse: ${parsed.error}`, tokens: out.tokens, ms: out.ms };
    return { kind: "call", call: parsed, raw: out.text, tokens: out.tokens, ms: out.ms };
  }

  observe(observation: Observation, signal: AbortSignal): Promise<{ tokens: number }> {
    return this.session.append(this.adapter.observation(observation), signal);
  }

  async saveState(path: string): Promise<void> {
    if (!this.session.saveState) throw new Error("this model session cannot save its state");
    await this.session.saveState(path);
  }
}
