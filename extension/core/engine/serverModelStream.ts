// A session's stream on a llama-server slot (the core's ModelStream). The stream's tokens live here,
// client-side, and only grow: append tokenizes (template text with special tokens parsed, all other
// text as plain text) and evaluates nothing; generate sends the whole stream as tokens with
// cache_prompt, and the slot, which holds the stream up to the last turn, evaluates only what was
// appended since. Recurrent models cannot roll a slot back (no partial seq_rm), so an append-only
// stream is what keeps the prefix reusable; a slot that holds something else (another client used
// it, the server restarted) makes the server evaluate the stream again: slower, never different.
//
// A full slot (a transformer's or hybrid's window; --no-context-shift) is re-primed the way the
// in-process engine does it: the stream starts over from the first digest candidate that leaves room
// (the rules, the goal, the notes, the recent steps), its template markers as special tokens.
//
// A snapshot is a JSON file at the session's snapshot path: the server model's identity, the stream's
// tokens and the name of the slot file the server wrote into its --slot-save-path. A restore
// refuses another model's snapshot, loads the slot file, and falls back to re-evaluating the tokens
// when the server no longer has that file.
import { createHash, randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import type { ModelAppendOptions, ModelGenerateOptions, ModelStream } from "../agent/modelStream";
import type { Segment } from "../prompt/types";
import { LlamaServerError, type LlamaServer, type ServerModelIdentity } from "./llamaServer";
import { withMarkerTokens } from "./serverGrammar";
import type { SlotLease } from "./slotPool";

const SNAPSHOT_FORMAT = "infinite-tool-use/llama-server-snapshot";

interface ServerSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: 1;
  readonly model: ServerModelIdentity;
  readonly tokens: number[];
  readonly slotFile: string;
}

/** What the last generation cost the server: for the log, the tests and the benchmark. */
export interface TurnCost {
  /** Tokens the stream had gained since the previous request (appended, plus the last turn's output). */
  readonly newTokens: number;
  /** Prompt tokens the server evaluated (timings.prompt_n). */
  readonly evaluated: number;
  /** Prompt tokens it took from the slot (timings.cache_n). */
  readonly cached: number;
  readonly promptMs: number;
  readonly predictedMs: number;
}

/** How a full slot is re-primed: the slot's window, and the digest candidates, most complete first. */
export interface SlotWindow {
  /** Tokens the slot holds (its n_ctx less two kept free). */
  readonly capacity: number;
  readonly digest?: () => readonly (readonly Segment[])[];
}

export interface ServerStreamOptions {
  readonly window?: SlotWindow;
  /** The call syntax's markers: those that are single special tokens of the server's model are
   * generated as those tokens (serverGrammar.ts). */
  readonly markers?: readonly string[];
}

export class ServerModelStream implements ModelStream {
  private tokens: number[] = [];
  /** How much of `tokens` the slot held after the last request. */
  private sentTokens = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private last?: TurnCost;
  private reprimeCount = 0;
  private markerTokens?: Promise<string[]>;
  private grammarCache?: { readonly source: string; readonly server: string };

  constructor(
    private readonly server: LlamaServer,
    private readonly lease: SlotLease,
    readonly model: ServerModelIdentity,
    private readonly log?: (level: "info" | "warn", line: string) => void,
    private readonly options: ServerStreamOptions = {},
  ) {}

  private get window(): SlotWindow | undefined {
    return this.options.window;
  }

  /** How many times a full slot was re-primed. */
  get reprimes(): number {
    return this.reprimeCount;
  }

  get slot(): number {
    return this.lease.slot;
  }

  get tokenCount(): number {
    return this.tokens.length;
  }

  /** Every token of the stream (a copy; for tests and diagnostics). */
  streamTokens(): number[] {
    return [...this.tokens];
  }

  get lastTurn(): TurnCost | undefined {
    return this.last;
  }

  append(text: string, options: ModelAppendOptions = {}): Promise<{ appendedTokens: number; ms: number }> {
    return this.exclusive(async () => {
      const started = performance.now();
      if (!text) return { appendedTokens: 0, ms: 0 };
      const tokens = await this.server.tokenize(text, options.special ?? false, options.signal);
      await this.ensureRoom(tokens.length, options.signal);
      this.tokens.push(...tokens);
      return { appendedTokens: tokens.length, ms: performance.now() - started };
    });
  }

  generate(options: ModelGenerateOptions): Promise<{ text: string; tokens: readonly number[]; ms: number; stopReason?: string }> {
    return this.exclusive(async () => {
      const started = performance.now();
      if (!Number.isInteger(options.maxTokens) || options.maxTokens < 1) throw new LlamaServerError("BAD_ANSWER", `maxTokens must be a positive integer, got ${options.maxTokens}`);
      if (this.tokens.length === 0) throw new LlamaServerError("BAD_ANSWER", "Nothing to generate from: append text to the session first");
      if (options.signal?.aborted) return { text: "", tokens: [], ms: 0, stopReason: "cancelled" };
      await this.ensureRoom(options.maxTokens, options.signal);
      let answer;
      try {
        answer = await this.server.complete(
          {
            prompt: this.tokens, slot: this.lease.slot, maxTokens: options.maxTokens, temperature: options.temperature ?? 0,
            ...(options.grammar !== undefined ? { grammar: await this.serverGrammar(options.grammar) } : {}),
            ...(options.seed !== undefined ? { seed: options.seed } : {}),
          },
          options.signal,
        );
      } catch (error) {
        // A cancelled turn adds nothing to the stream; the slot may hold its partial output, which
        // the next request's prefix match discards.
        if (error instanceof LlamaServerError && error.code === "CANCELLED") return { text: "", tokens: [], ms: performance.now() - started, stopReason: "cancelled" };
        throw error;
      }
      // The end token ends the turn and is not part of the stream (as in the in-process engine).
      const tokens = answer.stopType === "eos" ? answer.tokens.slice(0, -1) : answer.tokens;
      this.last = { newTokens: this.tokens.length - this.sentTokens, evaluated: answer.promptEvaluated, cached: answer.promptCached, promptMs: answer.promptMs, predictedMs: answer.predictedMs };
      this.tokens.push(...tokens);
      this.sentTokens = this.tokens.length;
      const text = await this.server.detokenize(tokens);
      return { text, tokens, ms: performance.now() - started, stopReason: answer.stopType === "limit" ? "maxTokens" : "end" };
    });
  }

  saveState(file: string): Promise<{ tokenCount: number; ms: number }> {
    return this.exclusive(async () => {
      const started = performance.now();
      // A name of its own per save: a snapshot set aside by a rewind keeps its slot file when a new
      // step saves under the same path again.
      const slotFile = `itu-${createHash("sha256").update(`${file}\0${randomUUID()}`).digest("hex").slice(0, 32)}.bin`;
      await this.server.saveSlot(this.lease.slot, slotFile);
      const snapshot: ServerSnapshot = { format: SNAPSHOT_FORMAT, version: 1, model: this.model, tokens: this.tokens, slotFile };
      // Renamed into place whole: a run killed while saving leaves no half snapshot under its name.
      const partial = `${file}.partial-${process.pid}`;
      try {
        await writeFile(partial, JSON.stringify(snapshot));
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { tokenCount: this.tokens.length, ms: performance.now() - started };
    });
  }

  /** Restores a snapshot saveState wrote; refuses (changing nothing) one of another model. */
  loadState(file: string): Promise<{ tokenCount: number; ms: number }> {
    return this.exclusive(async () => {
      const started = performance.now();
      const snapshot = await readSnapshot(file);
      if (!sameModel(snapshot.model, this.model)) {
        throw new LlamaServerError("STATE_MISMATCH", `The snapshot belongs to another model (${snapshot.model.name}, ${snapshot.model.parameterCount} parameters); the server runs ${this.model.name} (${this.model.parameterCount} parameters)`);
      }
      try {
        const { restored } = await this.server.restoreSlot(this.lease.slot, snapshot.slotFile);
        this.sentTokens = Math.min(restored, snapshot.tokens.length);
      } catch (error) {
        if (error instanceof LlamaServerError && error.code === "UNREACHABLE") throw error;
        // The server lost the file (another machine, a cleaned folder): the tokens are enough; the
        // next turn evaluates them again.
        this.log?.("warn", `the server could not restore slot file ${snapshot.slotFile} (${error instanceof Error ? error.message : String(error)}); the stream's ${snapshot.tokens.length} tokens will be evaluated again`);
        await this.server.eraseSlot(this.lease.slot).catch(() => undefined);
        this.sentTokens = 0;
      }
      this.tokens = [...snapshot.tokens];
      return { tokenCount: this.tokens.length, ms: performance.now() - started };
    });
  }

  /** The grammar as the server gets it: the markers that are special tokens of its model as token references. */
  private async serverGrammar(source: string): Promise<string> {
    if (this.grammarCache?.source === source) return this.grammarCache.server;
    this.markerTokens ??= this.specialMarkers();
    const markers = await this.markerTokens;
    const server = markers.length ? withMarkerTokens(source, markers) : source;
    this.grammarCache = { source, server };
    return server;
  }

  /** The markers that the model's vocabulary holds as one special token each (not spelled the same way as text). */
  private async specialMarkers(): Promise<string[]> {
    const out: string[] = [];
    for (const marker of new Set(this.options.markers ?? [])) {
      const [special, plain] = await Promise.all([this.server.tokenize(marker, true), this.server.tokenize(marker, false)]);
      if (special.length === 1 && (plain.length !== 1 || plain[0] !== special[0])) out.push(marker);
    }
    return out;
  }

  /**
   * Makes room for `needed` more tokens: re-primes with the first digest candidate that leaves it, or
   * refuses in one sentence (no digest, or none small enough). Nothing changes when it refuses.
   */
  private async ensureRoom(needed: number, signal?: AbortSignal): Promise<void> {
    const window = this.window;
    if (!window || this.tokens.length + needed <= window.capacity) return;
    for (const candidate of window.digest?.() ?? []) {
      const tokens: number[] = [];
      for (const segment of candidate) if (segment.text) tokens.push(...(await this.server.tokenize(segment.text, segment.special, signal)));
      if (tokens.length === 0 || tokens.length + needed > window.capacity) continue;
      const dropped = this.tokens.length;
      this.tokens = tokens;
      // The slot holds the old stream; the next request's prefix match keeps what the two share.
      this.sentTokens = 0;
      this.reprimeCount++;
      this.log?.("warn", `slot ${this.lease.slot} full (${dropped} + ${needed} of ${window.capacity} tokens): re-primed with the goal, the notes and the recent steps (${tokens.length} tokens)`);
      return;
    }
    throw new LlamaServerError("WINDOW_FULL", `The session (${this.tokens.length} + ${needed} tokens) no longer fits the server's slot (${window.capacity} tokens), and no digest of it leaves room: start llama-server with a larger -c (it is shared by the -np slots).`);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.catch(() => undefined);
    await this.lease.release();
  }

  /** One operation at a time: an append racing a generation would interleave tokens. */
  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      if (this.disposed) throw new LlamaServerError("BAD_ANSWER", "The stream was disposed");
      return run();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function sameModel(a: ServerModelIdentity, b: ServerModelIdentity): boolean {
  return a.name === b.name && a.parameterCount === b.parameterCount && a.fileSize === b.fileSize && a.vocabularySize === b.vocabularySize;
}

async function readSnapshot(file: string): Promise<ServerSnapshot> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new LlamaServerError("BAD_ANSWER", `No snapshot at ${file}`);
  }
  let parsed: Partial<ServerSnapshot>;
  try {
    parsed = JSON.parse(text) as Partial<ServerSnapshot>;
  } catch {
    throw new LlamaServerError("BAD_ANSWER", `${file} is not a llama-server snapshot (not valid JSON)`);
  }
  const valid =
    parsed?.format === SNAPSHOT_FORMAT && parsed.version === 1 && typeof parsed.slotFile === "string" && /^itu-[0-9a-f]{32}\.bin$/.test(parsed.slotFile) &&
    Array.isArray(parsed.tokens) && parsed.tokens.every((t) => Number.isInteger(t) && t >= 0) &&
    typeof parsed.model?.name === "string" && typeof parsed.model.parameterCount === "number";
  if (!valid) throw new LlamaServerError("BAD_ANSWER", `${file} is not a llama-server snapshot`);
  return parsed as ServerSnapshot;
}

/** True when `error` (from loadState) means the snapshot is another model's: a refusal, not a damaged file. */
export function isOtherModelsSnapshot(error: unknown): boolean {
  return error instanceof LlamaServerError && error.code === "STATE_MISMATCH";
}
