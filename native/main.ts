// The model-host process: owns node-llama-cpp and serves native/protocol.ts over the IPC channel.
// It runs apart from the extension host because a ggml assert aborts the whole process.
// Its stderr is its log: the client keeps the last lines to explain a crash.
import { randomUUID } from "node:crypto";
import {
  CancellationToken, createMessageConnection, IPCMessageReader, IPCMessageWriter, ResponseError, type MessageConnection,
} from "vscode-jsonrpc/node";
import { downloadModel, isEngineError, loadModel, setEngineLogger, type EngineModel, type EngineSession } from "./engine/index";
import * as protocol from "./protocol";
import { errorMessage } from "./errorMessage";

interface HostState {
  model?: EngineModel;
  sessions: Map<string, EngineSession>;
}

function log(connection: MessageConnection, level: "error" | "warn" | "info" | "debug", message: string): void {
  process.stderr.write(`[${level}] ${message}\n`);
  void connection.sendNotification(protocol.LogNotification, { level, message }).catch(() => undefined);
}

/** Engine errors cross the wire with their code; anything else is an internal error. */
function toResponseError(error: unknown): ResponseError<protocol.EngineErrorData | undefined> {
  if (error instanceof ResponseError) return error;
  if (isEngineError(error)) return new ResponseError(protocol.ENGINE_ERROR, error.message, { engineCode: error.code, details: error.details });
  const message = errorMessage(error);
  return new ResponseError(-32603, message, undefined);
}

function handle<P, R>(run: (params: P, signal: AbortSignal) => Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R> => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      return await run(params, controller.signal);
    } catch (error) {
      // vscode-jsonrpc sends a thrown ResponseError to the client as is.
      throw toResponseError(error);
    } finally {
      subscription.dispose();
    }
  };
}

function sessionOf(state: HostState, sessionId: string): EngineSession {
  const session = state.sessions.get(sessionId);
  if (!session) throw new ResponseError(protocol.ENGINE_ERROR, `Unknown session ${sessionId}`, { engineCode: "BAD_ARGUMENT" });
  return session;
}

function modelOf(state: HostState): EngineModel {
  if (!state.model) throw new ResponseError(protocol.ENGINE_ERROR, "No model is loaded", { engineCode: "NO_INPUT" });
  return state.model;
}

async function unload(state: HostState): Promise<void> {
  state.sessions.clear();
  const model = state.model;
  state.model = undefined;
  await model?.dispose();
}

function registerModelRequests(connection: MessageConnection, state: HostState): void {
  connection.onRequest(protocol.HelloRequest, () => ({ pid: process.pid, protocolVersion: protocol.PROTOCOL_VERSION, node: process.version }));
  connection.onRequest(protocol.LoadModelRequest, handle(async (params, signal) => {
    await unload(state);
    state.model = await loadModel({
      ...params,
      signal,
      onProgress: (fraction) => void connection.sendNotification(protocol.LoadProgressNotification, { path: params.path, fraction }),
    });
    const info = state.model.info;
    log(connection, "info", `loaded ${info.name} (${info.architecture}, ${info.kind}) on ${info.backend} with ${info.threads} thread(s)`);
    return info;
  }));
  connection.onRequest(protocol.DownloadModelRequest, handle(({ downloadId, ...params }, signal) =>
    downloadModel({
      ...params,
      signal,
      onProgress: (progress) => void connection.sendNotification(protocol.DownloadProgressNotification, { downloadId, ...progress }),
    })));
  connection.onRequest(protocol.ModelInfoRequest, () => state.model?.info ?? null);
  connection.onRequest(protocol.UnloadModelRequest, () => unload(state));
}

function registerSessionRequests(connection: MessageConnection, state: HostState): void {
  connection.onRequest(protocol.CreateSessionRequest, handle(async (params) => {
    const sessionId = randomUUID();
    const session = await modelOf(state).createSession({
      contextSize: params.contextSize,
      onWindowFull: params.reprimeOnWindowFull
        ? async (event) => (await connection.sendRequest(protocol.WindowFullRequest, { sessionId, event })).digest
        : undefined,
    });
    state.sessions.set(sessionId, session);
    session.onDispose(() => state.sessions.delete(sessionId));
    return { sessionId, contextSize: session.contextSize };
  }));
  connection.onRequest(protocol.DisposeSessionRequest, handle(async ({ sessionId }) => {
    await state.sessions.get(sessionId)?.dispose();
  }));
  connection.onRequest(protocol.AppendRequest, handle(({ sessionId, text, special }, signal) =>
    sessionOf(state, sessionId).append(text, { special, signal })));
  connection.onRequest(protocol.GenerateRequest, handle(({ sessionId, streamId, ...options }, signal) =>
    sessionOf(state, sessionId).generate({
      ...options,
      signal,
      onToken: streamId === undefined ? undefined : (text) => void connection.sendNotification(protocol.TokenNotification, { streamId, text }),
    })));
  connection.onRequest(protocol.SaveStateRequest, handle(({ sessionId, file }) => sessionOf(state, sessionId).saveState(file)));
  connection.onRequest(protocol.LoadStateRequest, handle(({ sessionId, file }) => sessionOf(state, sessionId).loadState(file)));
  connection.onRequest(protocol.ReprimeRequest, handle(({ sessionId, digest }) => sessionOf(state, sessionId).reprime(digest)));
  connection.onRequest(protocol.TokenCountRequest, handle(async ({ sessionId }) => sessionOf(state, sessionId).tokenCount));
  connection.onRequest(protocol.NextTokenLogitsRequest, handle(async ({ sessionId }) => [...(await sessionOf(state, sessionId).nextTokenLogits())]));
}

function main(): void {
  if (!process.send) {
    process.stderr.write("model-host: start me with an IPC channel (the extension does this)\n");
    process.exit(2);
  }
  const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  const state: HostState = { sessions: new Map() };
  setEngineLogger((level, message) => log(connection, level, message));
  registerModelRequests(connection, state);
  registerSessionRequests(connection, state);
  // Never outlive the extension: when the channel closes, leave.
  process.on("disconnect", () => process.exit(0));
  connection.onClose(() => process.exit(0));
  connection.listen();
  process.stderr.write(`[info] model host ${process.pid} ready (node ${process.version})\n`);
}

main();
