// The model as a policy, through a protocol adapter (extension/core/prompt/). The session stream is
// append-only: the preamble (rules and tool documentation) and the task go in once; then each turn
// opens with the adapter's turn prefix, is generated under the tool-call grammar, and is followed by
// its rendered observation. History is never re-sent. Output that still does not parse becomes an
// observation for the model, never a crash.
import { isParseError, textOf, type GrammarLimits, type ProtocolAdapter, type Segment } from "../prompt/types";
import type { Observation, ToolCall, ToolDefinition } from "../tools/types";
import type { ModelStream } from "./modelStream";
import type { Policy, PolicyResume, PolicyStart, PolicyTurn, ResumedTurn } from "./types";
import { errorMessage } from "../errorMessage";
import { refusedTokens, turnReservation, WindowTooSmallError, type ModelWindow } from "./window";

/** The pseudo-tool under which an output that did not parse is recorded (its body is the raw text). */
export const invalidOutputTool = "invalid_output";

/** The error an output that does not parse gets; replay re-parses recorded raw text into the same. */
export function notAToolCall(parseError: string, cut = ""): string {
  return `the output is not a tool call: ${parseError}${cut}`;
}

export interface SamplingOptions {
  readonly temperature: number;
  readonly seed: number;
  /** Longest turn; a call with a code body needs room. A small window lowers it (see window.ts). */
  readonly maxTokensPerTurn: number;
  readonly grammarLimits?: GrammarLimits;
  /** The session's window, for models whose memory grows (transformers, hybrids). */
  readonly window?: ModelWindow;
}

export class ModelPolicy implements Policy {
  readonly name = "model";
  private grammar: string | undefined;
  private callGrammar: string | undefined;
  private tools: readonly ToolDefinition[] = [];
  private maxTokensPerTurn: number;
  /** The last turn's text: the template framing closes that turn after it. */
  private lastCallText = "";

  constructor(
    private readonly adapter: ProtocolAdapter,
    private readonly session: ModelStream,
    private readonly sampling: SamplingOptions,
  ) {
    this.maxTokensPerTurn = sampling.maxTokensPerTurn;
  }

  /** Throws WindowTooSmallError (one line: window, prompt size, what to change) when a session cannot fit. */
  async start({ task, tools, signal }: PolicyStart): Promise<{ tokens: number }> {
    this.prepare(tools);
    let tokens = 0;
    try {
      tokens += (await this.appendSegments(this.adapter.preambleSegments(tools), signal)).appendedTokens;
      tokens += (await this.appendSegments(this.adapter.taskSegments(task), signal)).appendedTokens;
    } catch (error) {
      const refused = this.sampling.window && refusedTokens(error);
      if (this.sampling.window && refused) throw new WindowTooSmallError(this.sampling.window, refused);
      throw error;
    }
    if (this.sampling.window) {
      const reservation = turnReservation(this.sampling.window.capacity, tokens, this.sampling.maxTokensPerTurn);
      if (reservation === undefined) throw new WindowTooSmallError(this.sampling.window, tokens);
      this.maxTokensPerTurn = reservation;
    }
    return { tokens };
  }

  /**
   * Continues a recorded session. With a restored state only the turns after it are re-appended
   * (the preamble and task are already in the stream); without one the stream is rebuilt from the
   * start. A re-appended turn is the turn prefix, the call's canonical text and its observation:
   * the same text the loop appended, though not necessarily the same tokenization as the model's
   * own generation (the exact state is the snapshot's).
   */
  async resume({ task, tools, signal, stateRestored, turns }: PolicyResume): Promise<{ tokens: number }> {
    let tokens = 0;
    if (stateRestored) {
      this.prepare(tools);
      // The restored prompt's size is not known here: keep a quarter of the window per turn.
      const window = this.sampling.window;
      if (window) this.maxTokensPerTurn = Math.min(this.sampling.maxTokensPerTurn, Math.max(1, Math.floor(window.capacity / 4)));
    } else tokens += (await this.start({ task, tools, signal })).tokens;
    for (const turn of turns) tokens += await this.reappend(turn, signal);
    return { tokens };
  }

  async next(signal: AbortSignal): Promise<PolicyTurn> {
    if (this.grammar === undefined) throw new Error("ModelPolicy.next() called before start()");
    const prefix = await this.appendTurnPrefix(signal);
    let out = await this.generate(this.grammar, signal);
    let tokens = prefix + out.tokens.length;
    const closer = out.stopReason === "maxTokens" ? this.adapter.thinkingCloser(out.text) : undefined;
    if (closer && !signal.aborted) {
      // A thinking budget: thinking that fills the turn is closed for the model (the fence's end as
      // its special token), and the call gets a turn of its own under the call-only grammar.
      const closed = await this.appendSegments(closer, signal);
      const call = await this.generate(this.callGrammar ?? this.grammar, signal);
      tokens += closed.appendedTokens + call.tokens.length;
      out = { text: out.text + textOf(closer) + call.text, tokens: [...out.tokens, ...call.tokens], ms: out.ms + closed.ms + call.ms, ...(call.stopReason ? { stopReason: call.stopReason } : {}) };
    }
    this.lastCallText = out.text;
    const parsed = this.adapter.parse(out.text, this.tools);
    if (isParseError(parsed)) {
      const cut = out.stopReason === "maxTokens" ? ` (the turn reached its ${this.maxTokensPerTurn}-token limit before the call was complete)` : "";
      return { kind: "invalid", raw: out.text, error: notAToolCall(parsed.error, cut), tokens, ms: out.ms, output: { text: out.text, tokens: out.tokens } };
    }
    const { thinking, ...call } = parsed;
    return { kind: "call", call, raw: out.text, ...(thinking ? { thinking } : {}), tokens, ms: out.ms, output: { text: out.text, tokens: out.tokens } };
  }

  private generate(grammar: string, signal: AbortSignal) {
    return this.session.generate({ grammar, maxTokens: this.maxTokensPerTurn, temperature: this.sampling.temperature, seed: this.sampling.seed, signal });
  }

  async observe(observation: Observation, signal: AbortSignal): Promise<{ tokens: number }> {
    const appended = await this.appendSegments(this.adapter.observationSegments(observation, this.lastCallText), signal);
    return { tokens: appended.appendedTokens };
  }

  /** Template pieces go in with special tokens parsed, content without (text in a file cannot forge a marker). */
  private async appendSegments(segments: readonly Segment[], signal?: AbortSignal): Promise<{ appendedTokens: number; ms: number }> {
    let appendedTokens = 0;
    let ms = 0;
    for (const segment of segments) {
      if (!segment.text) continue;
      const result = await this.session.append(segment.text, { ...(segment.special ? { special: true } : {}), ...(signal ? { signal } : {}) });
      appendedTokens += result.appendedTokens;
      ms += result.ms;
    }
    return { appendedTokens, ms };
  }

  /** Opens a turn with the adapter's turn prefix (template text), when it has one; returns its tokens. */
  private async appendTurnPrefix(signal: AbortSignal): Promise<number> {
    if (!this.adapter.turnPrefix) return 0;
    return (await this.session.append(this.adapter.turnPrefix, { special: true, signal })).appendedTokens;
  }

  private prepare(tools: readonly ToolDefinition[]): void {
    this.tools = tools;
    this.grammar = this.adapter.grammar(tools, this.sampling.grammarLimits);
    this.callGrammar = this.adapter.allowsThinking ? this.adapter.grammar(tools, this.sampling.grammarLimits, { thinking: false }) : undefined;
  }

  private async reappend(turn: ResumedTurn, signal: AbortSignal): Promise<number> {
    // An output that did not parse was recorded as a pseudo-call carrying the raw text.
    const text = turn.call.tool === invalidOutputTool ? (turn.call.body ?? "") : this.renderRecorded(turn.call);
    const prefix = await this.appendTurnPrefix(signal);
    const call = await this.appendSegments(turn.call.tool === invalidOutputTool ? [{ text, special: false }] : this.adapter.callSegments(text), signal);
    const observation = await this.appendSegments(this.adapter.observationSegments(turn.observation, text), signal);
    return prefix + call.appendedTokens + observation.appendedTokens;
  }

  /**
   * A recorded call's text. The format refuses U+FFFD, yet a model can emit bytes that are not UTF-8
   * (decoded as U+FFFD); the trace keeps only the decoded text, so those characters are dropped.
   */
  private renderRecorded(call: ToolCall): string {
    try {
      return this.adapter.render(call, this.tools);
    } catch (error) {
      const clean = (text: string) => text.replaceAll("\uFFFD", "");
      const args = Object.fromEntries(Object.entries(call.args).map(([k, v]) => [k, typeof v === "string" ? clean(v) : v]));
      const cleaned: ToolCall = call.body === undefined ? { tool: call.tool, args } : { tool: call.tool, args, body: clean(call.body) };
      try {
        return this.adapter.render(cleaned, this.tools);
      } catch {
        throw new Error(`the recorded call ${call.tool} cannot be written in the ${this.adapter.format} format: ${errorMessage(error)}`);
      }
    }
  }

  async saveState(path: string): Promise<void> {
    await this.session.saveState(path);
  }
}
