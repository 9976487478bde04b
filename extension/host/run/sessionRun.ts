// A session run in this window: the core's runSession (extension/core/agent/runSession.ts) with
// VS Code's pieces plugged in: the store of the folder the session lives in, the budgets from the
// settings, the tools acting on the session's worktree, the model host's model, and the task panel
// watching. Start, resume and the headless `run` all come through here.
import { runSession, type ModelOpener, type SessionRun, type SessionRunRequest } from "../../core/agent";
import type { SessionStore } from "../../core/sessions";
import { errorMessage } from "../../core/errorMessage";
import { readBudgets, readModelSettings } from "../config";
import { log } from "../log";
import type { ModelService } from "../model/modelService";
import { remoteModelOpener, RemoteModelStream } from "../model/remoteModelStream";
import { formatLine } from "../../core/prompt";
import { panelWatcher, type PanelState } from "../panel/panelState";
import { createHostToolExecutor } from "../tools";
import { packsForSession } from "../tools/packs";

export interface RunningSession extends SessionRun {
  /** The model host's id of the run's model stream, for the API and tests (absent for a replay). */
  readonly modelSessionId?: string;
}

export interface HostRunContext {
  readonly extensionPath: string;
  readonly store: SessionStore;
  readonly panel: PanelState;
  /** The model, when no replay is asked for; absent when none is configured. */
  readonly model?: ModelOpener;
}

export async function runInHost(request: SessionRunRequest, context: HostRunContext): Promise<RunningSession> {
  const run = await runSession(request, {
    store: context.store,
    budgets: readBudgets(),
    ...(context.model ? { model: context.model } : {}),
    createExecutor: (root, session, packs) => createHostToolExecutor(context.extensionPath, { root, session, packs }),
    choosePacks: packsForSession,
    watcher: panelWatcher(context.panel),
    log: (level, line) => (level === "warn" ? log().warn(line) : log().info(line)),
  });
  return run.model instanceof RemoteModelStream ? { ...run, modelSessionId: run.model.id } : run;
}

/** The model at `modelPath` (the configured one when undefined), its load shown on the panel's model
 * line (the notification shows it too). */
export function panelModelOpener(models: ModelService, modelPath: string | undefined, panel: PanelState): ModelOpener {
  const opener = remoteModelOpener(models, modelPath, (info, format) =>
    panel.model({ name: info.name, state: "ready", detail: `${info.architecture} · ${info.kind} · ${info.backend}`, format: formatLine(format) }));
  return {
    ...(opener.modelPath !== undefined ? { modelPath: opener.modelPath } : {}),
    async open(window) {
      const name = (modelPath ?? readModelSettings().path).split(/[\\/]/).pop() ?? "";
      panel.model({ name, state: "loading", progress: 0 });
      const off = models.client.onLoadProgress(({ fraction }) => panel.model({ name, state: "loading", progress: Math.min(1, Math.max(0, fraction)) }));
      try {
        return await opener.open(window);
      } catch (error) {
        panel.model({ name, state: "error", detail: errorMessage(error) });
        throw error;
      } finally {
        off();
      }
    },
  };
}
