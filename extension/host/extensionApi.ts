// What activate() returns: a small surface for other extensions and for the integration tests.
import type { TaskPanelProvider } from "./taskPanel";
import type { HostToolExecutor, HostToolOptions } from "./tools";

export interface ExtensionApi {
  readonly taskPanel: TaskPanelProvider;
  /** Milliseconds activate() took, measured from its first line to its last. */
  readonly activationMs: number;
  /** The model's tools acting through this editor; one executor per session (dispose it after). */
  readonly tools: { createExecutor(options?: HostToolOptions): HostToolExecutor };
}
