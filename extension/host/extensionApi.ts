// What activate() returns: a small surface for other extensions and for the integration tests.
import type { ModelService } from "./model/modelService";
import type { SessionsApi } from "./sessions/index";
import type { TaskPanelProvider } from "./panel/taskPanel";
import type { Workbench } from "./workbench";
import type { HostToolExecutor, HostToolOptions } from "./tools";

export interface ExtensionApi {
  readonly taskPanel: TaskPanelProvider;
  /** Milliseconds activate() took, measured from its first line to its last. */
  readonly activationMs: number;
  /** The model's tools acting through this editor; one executor per session (dispose it after). */
  readonly tools: { createExecutor(options?: HostToolOptions): HostToolExecutor };
  /** The model host (a child process running llama.cpp): load, sessions, crash reports. */
  readonly model: ModelService;
  /** The git session stores of the workspace's repositories (every session is a branch). */
  readonly sessions: SessionsApi;
  /** Starts sessions (model or replay) and holds the running one; runHeadless serves the headless `run` command. */
  readonly workbench: Workbench;
}
