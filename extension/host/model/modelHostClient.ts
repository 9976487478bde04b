// The extension's end of the model-host protocol. Spawns dist/model-host.mjs as a child process
// (node-llama-cpp must never load in the extension host: a llama.cpp assert aborts its process),
// talks native/protocol.ts over IPC, and turns a crash or kill into a clear, typed error.
// Deliberately free of the vscode API so that plain-Node tests can drive it.
import { spawn, type ChildProcess } from "node:child_process";
import {
  CancellationTokenSource, createMessageConnection, ErrorCodes, IPCMessageReader, IPCMessageWriter, ResponseError,
  type MessageConnection, type NotificationType, type RequestType, type RequestType0,
} from "vscode-jsonrpc/node";
import * as protocol from "../../../native/protocol";
import { describeExit, HostCrashedError, ModelHostError, type HostExit } from "./hostErrors";

export { HostCrashedError, ModelHostError, type HostExit } from "./hostErrors";

export interface ModelHostClientOptions {
  /** Path of the built host bundle (dist/model-host.mjs). */
  hostPath: string;
  /** The Node to run it with; the extension host's own binary by default (Electron runs as Node). */
  execPath?: string;
  /** How many of the host's last stderr lines to keep for crash reports. */
  stderrLines?: number;
  onLog?: (level: string, message: string) => void;
}

type Listener<T> = (value: T) => void;

const CONNECTION_LOSS_CODES = new Set([ErrorCodes.PendingResponseRejected, ErrorCodes.ConnectionInactive, ErrorCodes.MessageWriteError, ErrorCodes.MessageReadError]);

function isConnectionLoss(error: unknown): boolean {
  return error instanceof ResponseError && CONNECTION_LOSS_CODES.has(error.code as never);
}

/** The host's exit, or (if it does not come within a second) a description of the lost channel. */
async function exitSoon(exited: Promise<HostExit>, error: unknown): Promise<HostExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HostExit>((resolve) => {
    timer = setTimeout(() => resolve(describeExit({ code: null, signal: null, expected: false, stderrTail: [String(error)] })), 1000);
  });
  try {
    return await Promise.race([exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class ModelHostClient {
  private child?: ChildProcess;
  private connection?: MessageConnection;
  private exitPromise?: Promise<HostExit>;
  private stopping = false;
  private readonly stderrTail: string[] = [];
  private readonly exitListeners = new Set<Listener<HostExit>>();
  private readonly progressListeners = new Set<Listener<{ path: string; fraction: number }>>();
  private readonly streams = new Map<string, (text: string) => void>();
  private readonly downloads = new Map<string, (downloadedBytes: number, totalBytes: number) => void>();
  private readonly windowFullHandlers = new Map<string, (event: protocol.WindowFullEvent) => Promise<protocol.Digest> | protocol.Digest>();
  private streamCounter = 0;
  lastExit?: HostExit;

  constructor(private readonly options: ModelHostClientOptions) {}

  get running(): boolean {
    return this.connection !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The host's last stderr lines (its log), oldest first. */
  recentLog(): string[] {
    return [...this.stderrTail];
  }

  onExit(listener: Listener<HostExit>): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  onLoadProgress(listener: Listener<{ path: string; fraction: number }>): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  async start(): Promise<protocol.HelloResult> {
    if (this.connection) return this.call(protocol.HelloRequest);
    this.stopping = false;
    const child = spawn(this.options.execPath ?? process.execPath, [this.options.hostPath], {
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // Under desktop VS Code, process.execPath is Electron: this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
    });
    this.child = child;
    this.captureOutput(child);
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    this.connection = connection;
    this.exitPromise = new Promise<HostExit>((resolve) => {
      child.once("exit", (code, signal) => resolve(this.handleExit(child, connection, code, signal)));
      child.once("error", (error) => {
        this.stderrTail.push(`spawn failed: ${error.message}`);
        resolve(this.handleExit(child, connection, null, null));
      });
    });
    this.registerHandlers(connection);
    connection.listen();
    const hello = await this.call(protocol.HelloRequest);
    if (hello.protocolVersion !== protocol.PROTOCOL_VERSION) {
      await this.stop();
      throw new ModelHostError(`Model host speaks protocol ${hello.protocolVersion}, expected ${protocol.PROTOCOL_VERSION}`, "PROTOCOL");
    }
    return hello;
  }

  async stop(graceMs = 2000): Promise<void> {
    const child = this.child;
    const exited = this.exitPromise;
    if (!child || !exited || child.exitCode !== null || child.signalCode !== null) return;
    this.stopping = true;
    child.disconnect?.();
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  // ---- requests -------------------------------------------------------------------------------

  loadModel(params: protocol.LoadModelParams, signal?: AbortSignal): Promise<protocol.ModelInfo> {
    return this.call(protocol.LoadModelRequest, params, signal);
  }

  /** Downloads in the host process, reporting progress through `onProgress`; cancel with `signal`. */
  async downloadModel(
    params: Omit<protocol.DownloadModelParams, "downloadId">,
    options: { signal?: AbortSignal; onProgress?: (downloadedBytes: number, totalBytes: number) => void } = {},
  ): Promise<protocol.DownloadedModel> {
    const downloadId = String(++this.streamCounter);
    if (options.onProgress) this.downloads.set(downloadId, options.onProgress);
    try {
      return await this.call(protocol.DownloadModelRequest, { ...params, downloadId }, options.signal);
    } finally {
      this.downloads.delete(downloadId);
    }
  }

  modelInfo(): Promise<protocol.ModelInfo | null> {
    return this.call(protocol.ModelInfoRequest);
  }

  async createSession(
    params: Omit<protocol.CreateSessionParams, "reprimeOnWindowFull"> = {},
    onWindowFull?: (event: protocol.WindowFullEvent) => Promise<protocol.Digest> | protocol.Digest,
  ): Promise<protocol.SessionCreated> {
    const created = await this.call(protocol.CreateSessionRequest, { ...params, reprimeOnWindowFull: onWindowFull !== undefined });
    if (onWindowFull) this.windowFullHandlers.set(created.sessionId, onWindowFull);
    return created;
  }

  disposeSession(sessionId: string): Promise<void> {
    this.windowFullHandlers.delete(sessionId);
    return this.call(protocol.DisposeSessionRequest, { sessionId });
  }

  append(params: protocol.AppendParams, signal?: AbortSignal): Promise<protocol.AppendResult> {
    return this.call(protocol.AppendRequest, params, signal);
  }

  /** Cancelling `signal` stops the generation (result stopReason "cancelled"). */
  async generate(
    params: Omit<protocol.GenerateParams, "streamId">,
    options: { signal?: AbortSignal; onText?: (delta: string) => void } = {},
  ): Promise<protocol.GenerateResult> {
    const streamId = options.onText ? String(++this.streamCounter) : undefined;
    if (streamId && options.onText) this.streams.set(streamId, options.onText);
    try {
      return await this.call(protocol.GenerateRequest, { ...params, streamId }, options.signal);
    } finally {
      if (streamId) this.streams.delete(streamId);
    }
  }

  saveState(sessionId: string, file: string): Promise<{ fileSize: number; ms: number }> {
    return this.call(protocol.SaveStateRequest, { sessionId, file });
  }

  loadState(sessionId: string, file: string): Promise<{ tokenCount: number; ms: number }> {
    return this.call(protocol.LoadStateRequest, { sessionId, file });
  }

  tokenCount(sessionId: string): Promise<number> {
    return this.call(protocol.TokenCountRequest, { sessionId });
  }

  nextTokenLogits(sessionId: string): Promise<number[]> {
    return this.call(protocol.NextTokenLogitsRequest, { sessionId });
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private call<R>(type: RequestType0<R, void>): Promise<R>;
  private call<P, R>(type: RequestType<P, R, void>, params: P, signal?: AbortSignal): Promise<R>;
  private async call<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, params?: P, signal?: AbortSignal): Promise<R> {
    const connection = this.connection;
    const exited = this.exitPromise;
    if (!connection || !exited) {
      throw new ModelHostError(this.lastExit ? `The model host is not running (${this.lastExit.description})` : "The model host is not running", "NOT_RUNNING");
    }
    const source = new CancellationTokenSource();
    const onAbort = () => source.cancel();
    signal?.addEventListener("abort", onAbort);
    if (signal?.aborted) source.cancel();
    try {
      const request = params === undefined
        ? connection.sendRequest(type as RequestType0<R, void>, source.token)
        : connection.sendRequest(type as RequestType<P, R, void>, params as never, source.token);
      // A dead host never answers: its exit settles every pending request.
      return await Promise.race([request, exited.then((exit): never => { throw new HostCrashedError(exit); })]);
    } catch (error) {
      // The IPC channel closes a moment before the exit event: wait for it to report the crash.
      if (isConnectionLoss(error)) throw new HostCrashedError(await exitSoon(exited, error));
      throw this.translate(error);
    } finally {
      signal?.removeEventListener("abort", onAbort);
      source.dispose();
    }
  }

  private translate(error: unknown): unknown {
    if (error instanceof HostCrashedError || error instanceof ModelHostError) return error;
    if (error instanceof ResponseError) {
      const data = error.data as protocol.EngineErrorData | undefined;
      return new ModelHostError(error.message, data?.engineCode ?? `RPC_${error.code}`, data?.details);
    }
    if (this.lastExit) return new HostCrashedError(this.lastExit);
    return error;
  }

  private registerHandlers(connection: MessageConnection): void {
    const on = <T>(type: NotificationType<T>, handler: (value: T) => void) => connection.onNotification(type, handler);
    on(protocol.LogNotification, ({ level, message }) => this.options.onLog?.(level, message));
    on(protocol.LoadProgressNotification, (progress) => this.progressListeners.forEach((l) => l(progress)));
    on(protocol.TokenNotification, ({ streamId, text }) => this.streams.get(streamId)?.(text));
    on(protocol.DownloadProgressNotification, ({ downloadId, downloadedBytes, totalBytes }) => this.downloads.get(downloadId)?.(downloadedBytes, totalBytes));
    connection.onRequest(protocol.WindowFullRequest, async ({ sessionId, event }) => {
      const handler = this.windowFullHandlers.get(sessionId);
      if (!handler) throw new ResponseError(protocol.ENGINE_ERROR, "No window-full handler for this session", { engineCode: "WINDOW_FULL" });
      return { digest: await handler(event) };
    });
  }

  private captureOutput(child: ChildProcess): void {
    const keep = this.options.stderrLines ?? 40;
    const keepLine = (line: string) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > keep) this.stderrTail.shift();
    };
    let partial = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) keepLine(line);
    });
    // Native code may print to stdout; treat it as log, never as protocol.
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      for (const line of chunk.split("\n").filter(Boolean)) keepLine(line);
    });
  }

  private handleExit(child: ChildProcess, connection: MessageConnection, code: number | null, signal: NodeJS.Signals | null): HostExit {
    const exit = describeExit({ code, signal, expected: this.stopping, stderrTail: this.recentLog() });
    if (this.child === child) {
      this.child = undefined;
      this.connection = undefined;
      this.exitPromise = undefined;
      this.lastExit = exit;
    }
    this.windowFullHandlers.clear();
    this.streams.clear();
    connection.dispose();
    for (const listener of this.exitListeners) listener(exit);
    return exit;
  }
}
