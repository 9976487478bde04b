// Inside the extension host: replays converted commits one after another in this one VS Code
// (from-git --check), each as a session from the commit's parent, compares the session branch's
// tree with the commit's, and discards the session (its worktree, branch and trace) afterwards.
import type { ReplayCheckItem, ReplayCheckOutcome, ReplayCheckRequest, ReplayCheckResult } from "../core/fromGit/checkProtocol";
import { errorMessage } from "../core/errorMessage";
import * as vscode from "vscode";
import { openSessionStore } from "./config";
import type { Workbench } from "./workbench";

export async function runReplayCheck(workbench: Workbench, request: ReplayCheckRequest): Promise<ReplayCheckResult> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("from-git --check needs the scratch clone open as the workspace folder");
  const store = await openSessionStore(folder);
  const outcomes: ReplayCheckOutcome[] = [];
  for (const item of request.items) outcomes.push(await replayOne(workbench, store, item));
  return { outcomes };
}

type Store = Awaited<ReturnType<typeof openSessionStore>>;

async function replayOne(workbench: Workbench, store: Store, item: ReplayCheckItem): Promise<ReplayCheckOutcome> {
  const started = Date.now();
  let sessionId: string | undefined;
  try {
    const running = await workbench.start(item.task, { replay: item.callsFile, base: item.base });
    sessionId = running.session.id;
    const end = await running.done;
    const git = (args: string[]) => store.git.run(store.repo.topLevel, args);
    // --raw tells a content difference (blob ids) from a mode-only one.
    const diff = await git(["diff", "--no-renames", "--raw", "-z", "--abbrev=40", item.sha, running.session.branch, "--"]);
    const fields = diff.split("\0").filter(Boolean);
    const differences: string[] = [];
    const contentDiffers: string[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [oldMode, newMode, oldBlob, newBlob, status] = fields[i]!.slice(1).split(" ");
      const path = fields[i + 1]!;
      differences.push(`${status} ${path}${oldMode !== newMode ? ` (mode ${oldMode} -> ${newMode})` : ""}`);
      if (oldBlob !== newBlob || !item.modeOnlyPaths.includes(path)) contentDiffers.push(path);
    }
    const skipped = new Set(item.skippedPaths);
    const trace = await store.readTrace(running.session.id);
    const failed = trace.steps.find((s) => !s.observation.ok);
    const firstFailure = failed ? `step ${failed.step} ${failed.call.tool} ${JSON.stringify(failed.call.args)}: ${failed.observation.text.split("\n").slice(0, 6).join(" | ")}` : undefined;
    return {
      sha: item.sha,
      exact: differences.length === 0,
      exactOutsideSkipped: contentDiffers.every((p) => skipped.has(p)),
      differences,
      ...(firstFailure ? { firstFailure } : {}),
      ended: `${end.reason}: ${end.message}`,
      steps: end.steps,
      ms: Date.now() - started,
    };
  } catch (error) {
    return { sha: item.sha, exact: false, exactOutsideSkipped: false, differences: [], ended: `error: ${errorMessage(error)}`, steps: 0, ms: Date.now() - started };
  } finally {
    // The replay's session is scaffolding: nothing of it stays in the (scratch) repository.
    if (sessionId) await store.discard(sessionId).catch(() => undefined);
  }
}
