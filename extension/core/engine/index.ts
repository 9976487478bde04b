// The server engine: sessions on a llama.cpp llama-server over HTTP (docs/server-engine.md).
export { LlamaServer, LlamaServerError, type LlamaServerErrorCode, type ServerModelIdentity, type ServerProps } from "./llamaServer";
export { ServerEngine, type OpenStreamOptions, type ServerEngineOptions } from "./serverEngine";
export { ServerModelStream, isOtherModelsSnapshot, type SlotWindow, type TurnCost } from "./serverModelStream";
export { SlotPool, type SlotLease } from "./slotPool";
