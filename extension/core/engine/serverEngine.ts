// The server engine: one llama-server, checked once (reachable, a model, grammar support), its
// slots in a pool, and a ServerModelStream per session.
import { LlamaServer, LlamaServerError, type ServerModelIdentity, type ServerProps } from "./llamaServer";
import { ServerModelStream, type SlotWindow } from "./serverModelStream";

/** What a session's stream needs to know beyond its slot. */
export interface OpenStreamOptions {
  /** Ask for this slot. */
  readonly slot?: number;
  /** What a full slot is re-primed with; without it, a turn that no longer fits is refused. */
  readonly digest?: SlotWindow["digest"];
  /** The call syntax's markers (the adapter's), generated as special tokens where the model has them. */
  readonly markers?: readonly string[];
}
import { SlotPool } from "./slotPool";

export interface ServerEngineOptions {
  readonly timeoutMs?: number;
  readonly log?: (level: "info" | "warn", line: string) => void;
}

export class ServerEngine {
  private constructor(
    readonly server: LlamaServer,
    readonly props: ServerProps,
    readonly model: ServerModelIdentity,
    readonly pool: SlotPool,
    private readonly options: ServerEngineOptions,
  ) {}

  /** Connects and checks; throws a LlamaServerError with one clear sentence when the server will not do. */
  static async connect(url: string, options: ServerEngineOptions = {}): Promise<ServerEngine> {
    if (!/^https?:\/\/[^/\s]+/i.test(url.trim())) throw new LlamaServerError("UNREACHABLE", `"${url}" is not an http(s) URL of a llama-server (for example http://127.0.0.1:8080).`);
    const server = new LlamaServer(url.trim(), options.timeoutMs);
    await server.health();
    const props = await server.props();
    const model = await server.model();
    await checkGrammar(server);
    return new ServerEngine(server, props, model, new SlotPool(server, props.totalSlots), options);
  }

  get url(): string {
    return this.server.url;
  }

  /** "llama-server at URL (model X)": what the status bar, the panel and the log say. */
  describe(): string {
    return `llama-server at ${this.url} (model ${this.model.name})`;
  }

  /** A stream on a slot of its own. */
  async openStream(options: OpenStreamOptions = {}): Promise<ServerModelStream> {
    const lease = await this.pool.acquire(options.slot);
    const window = this.props.slotContext > 0 ? { capacity: this.props.slotContext - 2, ...(options.digest ? { digest: options.digest } : {}) } : undefined;
    return new ServerModelStream(this.server, lease, this.model, this.options.log, { ...(window ? { window } : {}), ...(options.markers ? { markers: options.markers } : {}) });
  }
}

/**
 * A grammar that admits one sentence must produce exactly it: a server (or a proxy in front of one)
 * that ignores `grammar` would let the model write invalid calls. Any slot, nothing cached.
 */
async function checkGrammar(server: LlamaServer): Promise<void> {
  const prompt = await server.tokenize("check", false);
  let text: string;
  try {
    const answer = await server.complete({ prompt, slot: -1, grammar: 'root ::= "ok"', maxTokens: 8, temperature: 0 });
    const tokens = answer.stopType === "eos" ? answer.tokens.slice(0, -1) : answer.tokens;
    text = await server.detokenize(tokens);
  } catch (error) {
    if (error instanceof LlamaServerError && (error.code === "UNREACHABLE" || error.code === "NO_GRAMMAR")) throw error;
    throw new LlamaServerError("NO_GRAMMAR", `The server at ${server.url} cannot generate under a grammar (${error instanceof Error ? error.message : String(error)}), and tool calls need one.`);
  }
  if (text !== "ok") throw new LlamaServerError("NO_GRAMMAR", `The server at ${server.url} ignores the grammar (asked for "ok", it wrote ${JSON.stringify(text.slice(0, 40))}), and tool calls need one.`);
}
