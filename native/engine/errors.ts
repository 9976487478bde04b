// Engine errors carry a stable code so both ends of the model-host protocol can tell them apart.
export type EngineErrorCode =
  | "NOT_FOUND"
  | "NOT_GGUF"
  | "LOAD_FAILED"
  | "WINDOW_FULL"
  | "NO_INPUT"
  | "BAD_GRAMMAR"
  | "BAD_ARGUMENT"
  | "STATE_MISMATCH"
  | "DISPOSED"
  | "CANCELLED"
  /** A download could not reach its host (offline, refused, DNS). */
  | "NETWORK"
  /** A download host answered with an HTTP error (404, 500, ...). */
  | "HTTP_STATUS"
  /** A download did not fit on the disk. */
  | "DISK_FULL";

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

export function isEngineError(error: unknown, code?: EngineErrorCode): error is EngineError {
  return error instanceof EngineError && (code === undefined || error.code === code);
}
