// An append-only session stream: one llama.cpp sequence into which the preamble, the task, each tool
// call and each observation are appended. History is never re-evaluated.
//
// Two invariants keep the state exact:
// - node-llama-cpp never shifts the context. Its context shift silently corrupts recurrent state
//   (shared/notes/llama-recurrent.md), so recurrent sessions get a huge context (no memory cost:
//   their state is per sequence) and every session refuses a shift outright. Models whose memory
//   grows (transformers, hybrids) get a window; when it would overflow, the caller decides
//   (WINDOW_FULL error, or a re-prime with the digest its onWindowFull handler returns).
// - The last appended token is held back ("pending") and fed as the input of the next generation or
//   evaluation, because llama.cpp samples only from the logits of a token evaluated in that call.
import { rename, rm } from "node:fs/promises";
import { LlamaGrammarEvaluationState, TokenBias, type LlamaContext, type LlamaContextSequence, type Token } from "node-llama-cpp";
import { grammarProbe } from "./grammarProbe";
import { appendTokensInPlace } from "./appendInPlace";
import type { EngineModel } from "./engineModel";
import { EngineError } from "./errors";
import { engineLog } from "./runtime";
import { readStateSidecar, writeStateSidecar, type ModelFingerprint } from "./stateFile";
import type { Utf8Guard } from "./tokenGuards";
import type { AppendResult, Digest, DigestPrompt, GenerateResult, PromptSegment, GenerationSettings, RePrime, StopReason, WindowFullEvent } from "../protocol";

// The results and events cross the process boundary: native/protocol.ts declares them.
export type { AppendResult, Digest, GenerateResult, RePrime, StopReason, WindowFullEvent };

export interface GenerateOptions extends GenerationSettings {
  signal?: AbortSignal;
  onToken?: (textDelta: string, token: number) => void;
}

/**
 * A recurrent session's "window": 4M tokens, four times the default session token budget. It costs
 * no memory (recurrent state is per sequence), must stay below 2^32 (a 32-bit field in llama.cpp),
 * and is kept moderate because restoring a state scales with it (measured: 10 ms at 2^22, 76 ms at
 * 2^24, 5.4 s at 2^30 for a tiny mamba2). Past it the window-full strategy applies, as for others.
 */
export const RECURRENT_CONTEXT_SIZE = 2 ** 22;
const DEFAULT_WINDOW = 32768;
const APPEND_CHUNK = 512;


export interface SessionOptions {
  /** Window for transformers and hybrids (capped at the trained context). Ignored for recurrent models. */
  contextSize?: number;
  /**
   * Called when an append or generation would overflow the window. Returns the digest (goal, notes,
   * recent steps) that a fresh sequence is primed with, or several, most complete first: the first
   * that leaves room for the refused operation is used (in a small window a full digest may not).
   * Without it, such calls fail with WINDOW_FULL.
   */
  onWindowFull?: (event: WindowFullEvent) => Digest | Promise<Digest>;
}


export interface AppendOptions {
  /** Parse special-token text such as <|im_start|> into control tokens (template text only, never user text). */
  special?: boolean;
  signal?: AbortSignal;
}




export class EngineSession {
  private pending: Token[] = [];
  /** null: the vocabulary gives no token bytes, so no guard. */
  private utf8Guard: Utf8Guard | null | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly disposeListeners: (() => void)[] = [];

  private constructor(
    private readonly owner: EngineModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    private readonly options: SessionOptions,
  ) {}

  static async create(owner: EngineModel, options: SessionOptions): Promise<EngineSession> {
    const recurrent = owner.kind === "recurrent";
    const train = owner.info.trainContextSize ?? DEFAULT_WINDOW;
    const contextSize = recurrent ? RECURRENT_CONTEXT_SIZE : Math.min(options.contextSize ?? DEFAULT_WINDOW, train);
    const context = await owner.model.createContext({ contextSize, threads: owner.info.threads, sequences: 1, batchSize: APPEND_CHUNK });
    const sequence = context.getSequence({
      contextShift: { strategy: refuseContextShift },
      // Checkpoints serve erasing, which an append-only stream never does; they would only cost RAM.
      checkpoints: { max: 0, interval: false },
    });
    // An append-only stream grows the library's token list at every token: append in place.
    if (!appendTokensInPlace(sequence)) engineLog("warn", "node-llama-cpp's token list could not be made append-in-place: generation slows as sessions grow");
    return new EngineSession(owner, context, sequence, options);
  }

  /** Tokens in the stream, including the held-back last one. */
  get tokenCount(): number {
    return this.sequence.nextTokenIndex + this.pending.length;
  }

  /** How many tokens fit before the window is full (practically unbounded for recurrent models). */
  get capacity(): number {
    return this.context.contextSize - 2;
  }

  get contextSize(): number {
    return this.context.contextSize;
  }

  /** Every token of the stream (a copy; for tests and diagnostics). */
  tokens(): number[] {
    return [...this.sequence.contextTokens, ...this.pending];
  }

  append(text: string, options: AppendOptions = {}): Promise<AppendResult> {
    return this.exclusive(() => this.appendTokensNow(this.owner.tokenize(text, options.special ?? false) as Token[], options.signal));
  }

  appendTokens(tokens: readonly number[], options: { signal?: AbortSignal } = {}): Promise<AppendResult> {
    return this.exclusive(() => this.appendTokensNow(tokens as Token[], options.signal));
  }

  generate(options: GenerateOptions): Promise<GenerateResult> {
    return this.exclusive(() => this.generateNow(options));
  }

  /**
   * Logits for the next token after everything in the stream. Evaluates the held-back token, so a
   * generation afterwards needs new text appended first (diagnostics and tests only).
   */
  nextTokenLogits(): Promise<Float32Array> {
    return this.exclusive(async () => {
      const input = this.takePending("read logits");
      await this.evaluateChunks(input.slice(0, -1));
      const [output] = await this.sequence.controlledEvaluate([[input.at(-1)!, { generateNext: { logits: true } }]]);
      const logits = output?.next.logits;
      if (!logits) throw new EngineError("NO_INPUT", "llama.cpp returned no logits");
      const vector = new Float32Array(Math.max(...logits.keys()) + 1).fill(Number.NEGATIVE_INFINITY);
      for (const [token, value] of logits) vector[token] = value;
      return vector;
    });
  }

  /** Starts a fresh sequence primed with a digest; the caller decides what the digest holds. */
  reprime(digest: Digest): Promise<RePrime> {
    return this.exclusive(() => this.reprimeNow(digest));
  }

  saveState(file: string): Promise<{ fileSize: number; ms: number }> {
    return this.exclusive(async () => {
      const started = performance.now();
      // Saved under a name of its own and renamed last: a run killed while saving leaves no state
      // file under the snapshot's name (only a whole one is ever listed, resumed or rewound to).
      const partial = `${file}.partial-${process.pid}`;
      let fileSize: number;
      try {
        ({ fileSize } = await this.sequence.saveStateToFile(partial));
        await writeStateSidecar(file, { fingerprint: this.fingerprint(), pending: [...this.pending], tokenCount: this.tokenCount });
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { fileSize, ms: performance.now() - started };
    });
  }

  /** Restores a state saved by saveState(); refuses (changing nothing) one made by another model. */
  loadState(file: string): Promise<{ tokenCount: number; ms: number }> {
    return this.exclusive(async () => {
      const started = performance.now();
      const sidecar = await readStateSidecar(file);
      checkFingerprint(sidecar.fingerprint, this.fingerprint());
      // A state longer than the window would be cut; llama.cpp reports it, we refuse it first.
      if (sidecar.tokenCount > this.capacity) throw new EngineError("WINDOW_FULL", `State has ${sidecar.tokenCount} tokens; the window holds ${this.capacity}`);
      await this.sequence.loadStateFromFile(file, { acceptRisk: true });
      this.pending = sidecar.pending as Token[];
      return { tokenCount: this.tokenCount, ms: performance.now() - started };
    });
  }

  onDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.catch(() => undefined);
    await this.context.dispose();
    for (const listener of this.disposeListeners) listener();
  }

  private fingerprint(): ModelFingerprint {
    const info = this.owner.info;
    return { architecture: info.architecture, name: info.name, parameterCount: info.parameterCount, fileSize: info.fileSize };
  }

  /** One operation at a time: an append racing a generation would interleave tokens. */
  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      if (this.disposed) throw new EngineError("DISPOSED", "The session was disposed");
      return run();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private takePending(what: string): Token[] {
    if (this.pending.length === 0) throw new EngineError("NO_INPUT", `Nothing to ${what} from: append text to the session first`);
    const input = this.pending;
    this.pending = [];
    return input;
  }

  private async evaluateChunks(tokens: readonly Token[], signal?: AbortSignal): Promise<void> {
    for (let start = 0; start < tokens.length; start += APPEND_CHUNK) {
      if (signal?.aborted) throw new EngineError("CANCELLED", "Append cancelled", { evaluatedTokens: start });
      await this.sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(start, start + APPEND_CHUNK));
    }
  }

  /** Makes room for `needed` more tokens: re-primes through the handler, or refuses. */
  private async ensureRoom(needed: number): Promise<RePrime | undefined> {
    if (this.tokenCount + needed <= this.capacity) return undefined;
    const event = { tokenCount: this.tokenCount, capacity: this.capacity, needed };
    if (!this.options.onWindowFull) {
      throw new EngineError("WINDOW_FULL", `The context window is full: ${event.tokenCount} + ${needed} tokens > ${event.capacity}`, { ...event });
    }
    const candidates = digestCandidates(await this.options.onWindowFull(event));
    const tokenized = candidates.map((prompt) => this.tokenizePrompt(prompt));
    const fitting = tokenized.find((tokens) => tokens.length > 0 && tokens.length + needed <= this.capacity);
    if (!fitting) {
      const smallest = Math.min(...tokenized.map((tokens) => tokens.length));
      throw new EngineError("WINDOW_FULL", `The digest (${smallest} tokens) leaves no room for ${needed} more tokens in a ${this.capacity}-token window`, { ...event, digestTokens: smallest });
    }
    return this.reprimeWith(fitting);
  }

  private reprimeNow(digest: Digest): Promise<RePrime> {
    const candidates = digestCandidates(digest).map((prompt) => this.tokenizePrompt(prompt));
    return this.reprimeWith(candidates.find((tokens) => tokens.length > 0 && tokens.length <= this.capacity) ?? candidates[0] ?? []);
  }

  /** A template's markers as their control tokens, everything else as plain text. */
  private tokenizePrompt(prompt: DigestPrompt): Token[] {
    if (typeof prompt === "string") return this.owner.tokenize(prompt, false) as Token[];
    return prompt.flatMap((segment) => (segment.text ? (this.owner.tokenize(segment.text, segment.special) as Token[]) : []));
  }

  private async reprimeWith(digestTokens: Token[]): Promise<RePrime> {
    if (digestTokens.length === 0) throw new EngineError("BAD_ARGUMENT", "A re-prime needs a non-empty digest");
    if (digestTokens.length > this.capacity) throw new EngineError("WINDOW_FULL", `The digest (${digestTokens.length} tokens) is larger than the window (${this.capacity})`);
    const droppedTokens = this.tokenCount;
    await this.sequence.clearHistory();
    this.pending = [];
    await this.evaluateChunks(digestTokens.slice(0, -1));
    this.pending = digestTokens.slice(-1);
    return { droppedTokens, digestTokens: digestTokens.length };
  }

  private async appendTokensNow(tokens: readonly Token[], signal?: AbortSignal): Promise<AppendResult> {
    const started = performance.now();
    if (tokens.length === 0) return { appendedTokens: 0, tokenCount: this.tokenCount, ms: 0 };
    const reprimed = await this.ensureRoom(tokens.length);
    const input = [...this.pending, ...tokens];
    this.pending = [];
    try {
      await this.evaluateChunks(input.slice(0, -1), signal);
    } catch (error) {
      // What was evaluated stays in the stream; the unevaluated rest is dropped, and the caller
      // learns how far it got (restore a snapshot to undo it).
      this.pending = [];
      throw error;
    }
    this.pending = input.slice(-1);
    return { appendedTokens: tokens.length, tokenCount: this.tokenCount, ms: performance.now() - started, ...(reprimed ? { reprimed } : {}) };
  }

  private async generateNow(options: GenerateOptions): Promise<GenerateResult> {
    const started = performance.now();
    if (!Number.isInteger(options.maxTokens) || options.maxTokens < 1) throw new EngineError("BAD_ARGUMENT", `maxTokens must be a positive integer, got ${options.maxTokens}`);
    const grammar = options.grammar === undefined ? undefined : await this.owner.grammar(options.grammar);
    const reprimed = await this.ensureRoom(options.maxTokens);
    const result = (stopReason: StopReason, tokens: Token[], text: string): GenerateResult => ({
      text, tokens, ms: performance.now() - started, stopReason, tokenCount: this.tokenCount, ...(reprimed ? { reprimed } : {}),
    });
    if (options.signal?.aborted) return result("cancelled", [], "");
    const input = this.takePending("generate");
    const startIndex = this.sequence.nextTokenIndex;
    const grammarEvaluationState = grammar ? new LlamaGrammarEvaluationState({ model: this.owner.model, grammar }) : undefined;
    // The grammar admits some invalid UTF-8 byte sequences; the guard bans the tokens that would
    // complete one, so that non-ASCII text comes out exactly.
    const guard = (this.utf8Guard ??= this.owner.createUtf8Guard() ?? null);
    guard?.reset();
    const model = this.owner.model;
    const biasOf = (banned: readonly number[]) => banned.reduce((bias, t) => bias.set(t as Token, "never"), new TokenBias(model.tokenizer));
    // Called for every generated token: the guard hands out the same list object for the same
    // pending bytes, so each distinct list gets its bias built once.
    const biases = new Map<readonly number[], TokenBias>();
    const biasFor = (banned: readonly number[]) => {
      let bias = biases.get(banned);
      if (!bias) biases.set(banned, (bias = biasOf(banned)));
      return bias;
    };
    // Special tokens only where the grammar places a marker, and markers only as their token (tokenGuards.ts).
    const specials = grammarEvaluationState ? this.owner.createSpecialTokenGuard(options.grammar!) : undefined;
    const probe = grammarEvaluationState ? grammarProbe(model, grammarEvaluationState) : undefined;
    const noBans: readonly number[] = [];
    const withSpecials = new Map<readonly number[], Map<string, TokenBias>>();
    const specialBias = (banned: readonly number[]) => {
      const extra = specials!.banned(probe!);
      let byKey = withSpecials.get(banned);
      if (!byKey) withSpecials.set(banned, (byKey = new Map()));
      let bias = byKey.get(extra.key);
      if (!bias) byKey.set(extra.key, (bias = biasOf([...banned, ...extra.tokens])));
      return bias;
    };
    const tokenBias = specials?.active ? () => specialBias(guard ? guard.banned() : noBans) : guard ? () => biasFor(guard.banned()) : undefined;
    const iterator = this.sequence.evaluate(input, {
      temperature: options.temperature ?? 0,
      seed: options.seed,
      topK: options.topK,
      topP: options.topP,
      grammarEvaluationState,
      ...(tokenBias ? { tokenBias } : {}),
    });
    const tokens: Token[] = [];
    const text = new IncrementalText(this.owner, options.onToken);
    let stopReason: StopReason = "end";
    try {
      for await (const token of iterator) {
        tokens.push(token);
        guard?.accept(token);
        specials?.accept(token);
        text.push(tokens, token);
        if (options.signal?.aborted) { stopReason = "cancelled"; break; }
        if (tokens.length >= options.maxTokens) { stopReason = "maxTokens"; break; }
      }
    } finally {
      // Sampling the end token evaluated the last generated token; a stop by us did not, so that
      // token is held back as the next input.
      const allEvaluated = this.sequence.nextTokenIndex === startIndex + input.length + tokens.length;
      this.pending = allEvaluated ? [] : tokens.slice(-1);
    }
    return result(stopReason, tokens, this.owner.detokenize(tokens));
  }
}

/** Streams text deltas, holding back a delta that ends inside a multi-byte UTF-8 character. */
class IncrementalText {
  private emitted = 0;
  constructor(
    private readonly owner: EngineModel,
    private readonly onToken?: (textDelta: string, token: number) => void,
  ) {}

  push(tokens: readonly Token[], token: Token): void {
    if (!this.onToken) return;
    const text = this.owner.detokenize(tokens);
    if (text.endsWith("\uFFFD")) return;
    this.onToken(text.slice(this.emitted), token);
    this.emitted = text.length;
  }
}

function refuseContextShift(): never {
  throw new EngineError("WINDOW_FULL", "Refusing a context shift: it would silently corrupt the session state");
}

function checkFingerprint(saved: ModelFingerprint, current: ModelFingerprint): void {
  const same = (Object.keys(current) as (keyof ModelFingerprint)[]).every((key) => saved[key] === current[key]);
  if (!same) {
    throw new EngineError("STATE_MISMATCH", `The saved state belongs to another model (${saved.name}, ${saved.architecture}); this session runs ${current.name}`);
  }
}

/** A digest's candidates: a string or one segment list is a single candidate; a list of them, several. */
function digestCandidates(digest: Digest): DigestPrompt[] {
  if (typeof digest === "string") return [digest];
  const list = digest as readonly (DigestPrompt | PromptSegment)[];
  if (list.length > 0 && list.every((item) => typeof item === "object" && !Array.isArray(item))) return [list as readonly PromptSegment[]];
  return list as DigestPrompt[];
}
