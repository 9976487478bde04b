// A client of llama.cpp's llama-server (HTTP, JSON): what the server engine needs of it and nothing
// more. Every failure becomes a LlamaServerError with one clear sentence for the user; the server's
// own words follow in the detail. fetch only (no Node http), so the core stays editor- and
// runtime-independent.

export type LlamaServerErrorCode = "WINDOW_FULL" | "UNREACHABLE" | "NO_GRAMMAR" | "NO_SLOTS" | "STATE_MISMATCH" | "SERVER" | "BAD_ANSWER" | "CANCELLED";

export class LlamaServerError extends Error {
  override readonly name = "LlamaServerError";
  constructor(readonly code: LlamaServerErrorCode, message: string) {
    super(message);
  }
}

/** Which model a server runs: recorded with every snapshot, compared before a restore. */
export interface ServerModelIdentity {
  /** The file name the server loaded (its path on the server's machine, without the folders). */
  readonly name: string;
  readonly parameterCount: number;
  readonly fileSize: number;
  readonly vocabularySize: number;
}

export interface ServerProps {
  readonly totalSlots: number;
  readonly chatTemplate: string;
  readonly modelPath: string;
  readonly build: string;
  readonly slotContext: number;
}

export interface CompletionRequest {
  readonly prompt: readonly number[];
  readonly slot: number;
  readonly grammar?: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly seed?: number;
  readonly topK?: number;
  readonly topP?: number;
}

export interface CompletionAnswer {
  readonly tokens: number[];
  readonly stopType: string;
  /** Prompt tokens the server evaluated for this request (the rest came from the slot's cache). */
  readonly promptEvaluated: number;
  readonly promptCached: number;
  readonly promptMs: number;
  readonly predictedMs: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export class LlamaServer {
  readonly url: string;

  constructor(url: string, private readonly timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.url = url.replace(/\/+$/, "");
  }

  async health(signal?: AbortSignal): Promise<void> {
    await this.request("GET", "/health", undefined, signal);
  }

  async props(): Promise<ServerProps> {
    const props = await this.request<Record<string, unknown>>("GET", "/props");
    const settings = props.default_generation_settings as { n_ctx?: unknown } | undefined;
    const totalSlots = props.total_slots;
    if (typeof totalSlots !== "number" || totalSlots < 1) throw new LlamaServerError("BAD_ANSWER", `The server at ${this.url} did not say how many slots it has: is it a llama-server?`);
    return {
      totalSlots,
      chatTemplate: typeof props.chat_template === "string" ? props.chat_template : "",
      modelPath: typeof props.model_path === "string" ? props.model_path : "",
      build: typeof props.build_info === "string" ? props.build_info : "",
      slotContext: typeof settings?.n_ctx === "number" ? settings.n_ctx : 0,
    };
  }

  async model(): Promise<ServerModelIdentity> {
    const answer = await this.request<{ data?: { id?: unknown; meta?: Record<string, unknown> }[] }>("GET", "/v1/models");
    const entry = answer.data?.[0];
    const meta = entry?.meta ?? {};
    if (typeof entry?.id !== "string") throw new LlamaServerError("BAD_ANSWER", `The server at ${this.url} did not name its model: is it a llama-server?`);
    const number = (key: string) => (typeof meta[key] === "number" ? (meta[key] as number) : 0);
    return { name: entry.id.split(/[\\/]/).pop() ?? entry.id, parameterCount: number("n_params"), fileSize: number("size"), vocabularySize: number("n_vocab") };
  }

  async tokenize(text: string, special: boolean, signal?: AbortSignal): Promise<number[]> {
    const answer = await this.request<{ tokens?: unknown }>("POST", "/tokenize", { content: text, add_special: false, parse_special: special }, signal);
    if (!Array.isArray(answer.tokens) || !answer.tokens.every((t) => Number.isInteger(t))) throw new LlamaServerError("BAD_ANSWER", `The server at ${this.url} answered /tokenize without tokens`);
    return answer.tokens as number[];
  }

  async detokenize(tokens: readonly number[], signal?: AbortSignal): Promise<string> {
    if (tokens.length === 0) return "";
    const answer = await this.request<{ content?: unknown }>("POST", "/detokenize", { tokens }, signal);
    if (typeof answer.content !== "string") throw new LlamaServerError("BAD_ANSWER", `The server at ${this.url} answered /detokenize without text`);
    return answer.content;
  }

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionAnswer> {
    const body = {
      prompt: request.prompt,
      id_slot: request.slot,
      // The slot keeps the stream evaluated so far; only the tokens after the common prefix are evaluated.
      cache_prompt: true,
      return_tokens: true,
      n_predict: request.maxTokens,
      temperature: request.temperature,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.topK !== undefined ? { top_k: request.topK } : {}),
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(request.grammar !== undefined ? { grammar: request.grammar } : {}),
    };
    let answer: Record<string, unknown>;
    try {
      answer = await this.request("POST", "/completion", body, signal);
    } catch (error) {
      if (error instanceof LlamaServerError && error.code === "SERVER" && /grammar/i.test(error.message)) {
        throw new LlamaServerError("NO_GRAMMAR", `The server at ${this.url} refused the tool-call grammar: ${error.message.replace(/^[^:]*: /, "")}`);
      }
      const full = error instanceof LlamaServerError && /\((\d+) tokens\) exceeds the available context size \((\d+) tokens\)/.exec(error.message);
      if (full) throw new LlamaServerError("WINDOW_FULL", `The session (${full[1]} tokens) no longer fits the server's slot (${full[2]} tokens): start llama-server with a larger -c (it is shared by the -np slots).`);
      throw error;
    }
    const timings = (answer.timings ?? {}) as Record<string, unknown>;
    const tokens = answer.tokens;
    if (!Array.isArray(tokens) || !tokens.every((t) => Number.isInteger(t))) {
      throw new LlamaServerError("BAD_ANSWER", `The server at ${this.url} returned no token ids (return_tokens): it is not a llama-server this engine supports`);
    }
    const number = (value: unknown) => (typeof value === "number" ? value : 0);
    return {
      tokens: tokens as number[],
      stopType: typeof answer.stop_type === "string" ? answer.stop_type : "",
      promptEvaluated: number(timings.prompt_n),
      promptCached: number(timings.cache_n),
      promptMs: number(timings.prompt_ms),
      predictedMs: number(timings.predicted_ms),
    };
  }

  /** Writes the slot's state to `filename` in the server's --slot-save-path. */
  async saveSlot(slot: number, filename: string): Promise<{ saved: number }> {
    const answer = await this.request<{ n_saved?: unknown }>("POST", `/slots/${slot}?action=save`, { filename });
    return { saved: typeof answer.n_saved === "number" ? answer.n_saved : 0 };
  }

  async restoreSlot(slot: number, filename: string): Promise<{ restored: number }> {
    const answer = await this.request<{ n_restored?: unknown }>("POST", `/slots/${slot}?action=restore`, { filename });
    return { restored: typeof answer.n_restored === "number" ? answer.n_restored : 0 };
  }

  async eraseSlot(slot: number): Promise<void> {
    await this.request("POST", `/slots/${slot}?action=erase`);
  }

  /** Slots the server says are busy now (any client's). */
  async busySlots(): Promise<Set<number>> {
    const answer = await this.request<unknown>("GET", "/slots").catch(() => []);
    const busy = new Set<number>();
    if (Array.isArray(answer)) for (const s of answer as { id?: unknown; is_processing?: unknown }[]) if (typeof s.id === "number" && s.is_processing === true) busy.add(s.id);
    return busy;
  }

  private async request<T = unknown>(method: "GET" | "POST", path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw new LlamaServerError("CANCELLED", `The request to ${this.url}${path} was cancelled`);
      if (timeout.aborted) throw new LlamaServerError("UNREACHABLE", `The llama-server at ${this.url} did not answer ${path} within ${Math.round(this.timeoutMs / 1000)} s.`);
      throw new LlamaServerError("UNREACHABLE", `The llama-server at ${this.url} is not reachable (${causeOf(error)}); start it, or change infiniteToolUse.engine.url.`);
    }
    const text = await response.text().catch(() => "");
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new LlamaServerError("BAD_ANSWER", `The server at ${this.url} answered ${path} with something that is not JSON (HTTP ${response.status}): is it a llama-server?`);
    }
    if (!response.ok) {
      const message = (parsed as { error?: { message?: unknown } })?.error?.message;
      throw new LlamaServerError("SERVER", `The llama-server at ${this.url} refused ${path} (HTTP ${response.status}): ${typeof message === "string" ? message : text.slice(0, 200)}`);
    }
    return parsed as T;
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
