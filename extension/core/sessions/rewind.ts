// Rewind a session to step N: its files go back to the commit of the last state-changing step at or
// before N, its trace drops the later steps, and their snapshots are set aside. Nothing is lost: the
// branch and trace tips before the rewind are kept under refs/infinite/backups/<id>/rewind-<time>/.
import { SessionError } from "./errors";
import { branchExists } from "./repository";
import { sessionRefs } from "./naming";
import type { SnapshotInfo } from "./snapshots";
import type { SessionStore } from "./sessionStore";
import { TraceStore } from "./traceStore";

export interface RewindResult {
  readonly step: number;
  /** The commit the session's files are now at. */
  readonly commit: string;
  /** The model state to load: the newest snapshot at or before `step`, if any was saved. */
  readonly snapshot?: SnapshotInfo;
  /** Refs that keep the rewound-over steps reachable. */
  readonly backup: { readonly branch: string; readonly trace: string };
}

export async function rewindSession(store: SessionStore, id: string, step: number): Promise<RewindResult> {
  const git = store.git;
  const repo = store.repo.topLevel;
  const trace = await TraceStore.open(git, repo, id);
  const { header, steps } = await trace.read();
  if (!Number.isInteger(step) || step < 0 || step > steps.length) throw new SessionError("invalid-argument", `Session ${id} has steps 0 to ${steps.length}; cannot rewind to ${step}.`);
  if (!(await branchExists(git, store.repo, header.branch))) throw new SessionError("session-not-active", `Session ${id} has no branch any more (accepted or deleted); it cannot be rewound.`);

  const label = `rewind-${Date.now()}`;
  const backup = { branch: sessionRefs.backup(id, `${label}/branch`), trace: sessionRefs.backup(id, `${label}/trace`) };
  await git.run(repo, ["update-ref", backup.branch, `refs/heads/${header.branch}`]);
  await git.run(repo, ["update-ref", backup.trace, sessionRefs.trace(id)]);

  const target = [...steps.slice(0, step)].reverse().find((s) => s.commit)?.commit ?? header.base.commit;
  const session = await store.load(id);
  await session.worktree.run(["reset", "-q", "--hard", target]);
  await session.worktree.run(["clean", "-q", "-fd"]);
  await trace.truncate(step);
  store.snapshots.setAsideAfter(id, step, label);
  const snapshot = store.snapshots.latestAtOrBefore(id, step);
  return snapshot ? { step, commit: target, snapshot, backup } : { step, commit: target, backup };
}
