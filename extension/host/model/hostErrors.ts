// What went wrong with the model host, in words a user can act on. No vscode import (plain-Node tests).

export interface HostExit {
  code: number | null;
  signal: string | null;
  /** True when the extension stopped it (restart, dispose); false for a crash or an outside kill. */
  expected: boolean;
  /** The host's last log lines before it ended. */
  stderrTail: string[];
  description: string;
}

const SIGNAL_MEANINGS: Record<string, string> = {
  SIGKILL: "was killed (SIGKILL; by the system for lack of memory, or by another process)",
  SIGABRT: "aborted (SIGABRT; typically a failed assertion inside llama.cpp)",
  SIGSEGV: "crashed (SIGSEGV; a memory fault in native code)",
  SIGTERM: "was terminated (SIGTERM)",
  SIGBUS: "crashed (SIGBUS; often a model file changed or removed while mapped)",
};

export function describeExit(exit: Omit<HostExit, "description">): HostExit {
  let what: string;
  if (exit.expected) what = "stopped";
  else if (exit.signal) what = SIGNAL_MEANINGS[exit.signal] ?? `ended by signal ${exit.signal}`;
  else if (exit.code === 134) what = "aborted (exit code 134; typically a failed assertion inside llama.cpp)";
  else if (exit.code === null) what = "could not be started";
  else what = `exited with code ${exit.code}`;
  const assertion = exit.stderrTail.find((line) => /GGML_ASSERT|assert|abort/i.test(line));
  const reason = assertion ? `: ${assertion.trim()}` : "";
  return { ...exit, description: `The model host ${what}${reason}` };
}

/** An error answered by the host (bad input, a model that will not load, ...); the host lives on. */
export class ModelHostError extends Error {
  constructor(
    message: string,
    /** The engine's error code (NOT_GGUF, WINDOW_FULL, ...) or a client-side one. */
    readonly code: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ModelHostError";
  }
}

/** The host died while a request was pending (or before it could answer). */
export class HostCrashedError extends Error {
  constructor(readonly exit: HostExit) {
    super(exit.description);
    this.name = "HostCrashedError";
  }
}
