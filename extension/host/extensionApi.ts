// What activate() returns: a small surface for other extensions and for the integration tests.
import type { TaskPanelProvider } from "./taskPanel";

export interface ExtensionApi {
  readonly taskPanel: TaskPanelProvider;
  /** Milliseconds activate() took, measured from its first line to its last. */
  readonly activationMs: number;
}
