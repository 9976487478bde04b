// The editor-independent session store. Strategy (the user's work is sacred): every session is a
// branch checked out in its own git worktree under <git-common-dir>/infinite-tool-use/worktrees/<id>,
// so the user's branch, index, stash and files are never touched while a session runs. Its trace
// lives on refs/infinite/traces/<id>; model snapshots under .../infinite-tool-use/snapshots/<id>/.
//
//   const store = await SessionStore.open(folder, { log });
//   const session = await store.start({ task: "fix the parser", issue: 42 });
//   ... tools act on session.worktreePath ...
//   await session.recordStep({ call, observation, effect });
//   await session.finish("Fix the parser's handling of empty input");
//   await store.accept(session.id, { squash: true });
import { existsSync } from "node:fs";
import { join } from "node:path";
import { acceptSession, type AcceptOptions, type AcceptResult } from "./accept";
import { SessionError } from "./errors";
import { GitGate, type GitLogger } from "./gitGate";
import { checkBranchPrefix, defaultBranchPrefix, isValidSessionId, sessionIdFor, sessionRefs } from "./naming";
import { branchExists, currentBranch, inspectRepository, refuseIfOperationInProgress, requireCommit, type RepositoryInfo } from "./repository";
import { rewindSession, type RewindResult } from "./rewind";
import { Session } from "./session";
import { SnapshotStore } from "./snapshots";
import { traceVersion, type Trace, type TraceHeader } from "./traceFormat";
import { TraceStore } from "./traceStore";
import { SessionWorktree } from "./worktreeGit";

export interface SessionStoreOptions {
  readonly log?: GitLogger;
  /** The git executable (default `git` on PATH). */
  readonly gitBinary?: string;
  /** Setting infiniteToolUse.git.branchPrefix. */
  readonly branchPrefix?: string;
  /** Setting infiniteToolUse.snapshots.budgetMB. */
  readonly snapshotBudgetMB?: number;
  readonly now?: () => Date;
  /** Where session worktrees go; default <git-common-dir>/infinite-tool-use/worktrees. A folder
   * outside `.git` suits tools that skip `.git` paths (file watchers, some language servers). */
  readonly worktreesRoot?: string;
}

export interface StartOptions {
  readonly task: string;
  /** Names the branch when given (an issue's title); the task's first words otherwise. */
  readonly title?: string;
  readonly issue?: number;
  /** A branch or commit to start from; default: the user's current HEAD. */
  readonly base?: string;
}

export type SessionStatus = "active" | "finished" | "accepted";

export interface SessionInfo {
  readonly id: string;
  readonly branch: string;
  readonly task: string;
  readonly issue?: number;
  readonly base: TraceHeader["base"];
  readonly createdAt: string;
  readonly status: SessionStatus;
  readonly steps: number;
  readonly summary?: string;
  readonly worktreePath: string;
}

export interface ChangedFile {
  /** A (added), M (modified), D (deleted), R (renamed, old path in `from`), ... as git prints it. */
  readonly status: string;
  readonly path: string;
  readonly from?: string;
}

export class SessionStore {
  readonly git: GitGate;
  readonly snapshots: SnapshotStore;
  private readonly prefix: string;
  private readonly now: () => Date;

  private constructor(
    readonly repo: RepositoryInfo,
    git: GitGate,
    private readonly options: SessionStoreOptions,
  ) {
    this.git = git;
    this.prefix = checkBranchPrefix(options.branchPrefix ?? defaultBranchPrefix);
    this.now = options.now ?? (() => new Date());
    this.snapshots = new SnapshotStore(join(this.dataDir, "snapshots"));
  }

  /** Opens the store on the repository containing `folder`. Throws not-a-repository, git-missing. */
  static async open(folder: string, options: SessionStoreOptions = {}): Promise<SessionStore> {
    const git = new GitGate({ ...(options.log ? { log: options.log } : {}), ...(options.gitBinary ? { binary: options.gitBinary } : {}) });
    return new SessionStore(await inspectRepository(git, folder), git, options);
  }

  /** <git-common-dir>/infinite-tool-use: worktrees and snapshots, shared by every worktree. */
  get dataDir(): string {
    return join(this.repo.commonDir, "infinite-tool-use");
  }

  worktreePathFor(id: string): string {
    return join(this.options.worktreesRoot ?? join(this.dataDir, "worktrees"), id);
  }

  get snapshotBudgetBytes(): number {
    return (this.options.snapshotBudgetMB ?? 2048) * 1024 * 1024;
  }

  /** Throws what start() would refuse for these options (no task, a merge in progress, no commit to
   * start from), changing nothing: a session run asks before it loads the model. */
  async checkStart(options: StartOptions): Promise<TraceHeader["base"]> {
    if (!options.task.trim()) throw new SessionError("invalid-argument", "A session needs a task.");
    if (options.issue !== undefined && (!Number.isInteger(options.issue) || options.issue < 1)) throw new SessionError("invalid-argument", `Issue number ${options.issue} is not a positive integer.`);
    refuseIfOperationInProgress(this.repo);
    return this.resolveBase(options.base);
  }

  async start(options: StartOptions): Promise<Session> {
    const base = await this.checkStart(options);
    const id = await this.unusedId(sessionIdFor(this.now(), options.title ?? options.task, options.issue));
    const branch = `${this.prefix}${id}`;
    const worktreePath = this.worktreePathFor(id);
    await this.git.run(this.repo.topLevel, ["worktree", "add", "--quiet", "-b", branch, worktreePath, base.commit]);
    const header: TraceHeader = {
      type: "header",
      version: traceVersion,
      sessionId: id,
      branch,
      task: options.task,
      ...(options.issue === undefined ? {} : { issue: options.issue }),
      base,
      createdAt: this.now().toISOString(),
    };
    const trace = await TraceStore.create(this.git, this.repo.topLevel, header);
    const worktree = SessionWorktree.locate(this.git, this.repo.commonDir, worktreePath, branch);
    return new Session(worktree, header, trace, this.snapshots, this.snapshotBudgetBytes, base.commit);
  }

  async list(): Promise<SessionInfo[]> {
    const out = await this.git.run(this.repo.topLevel, ["for-each-ref", "--format=%(refname)", "refs/infinite/traces/"]);
    const ids = out.split("\n").filter(Boolean).map((r) => r.slice("refs/infinite/traces/".length));
    const infos = await Promise.all(ids.map((id) => this.info(id).catch(() => undefined)));
    return infos.filter((i): i is SessionInfo => i !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async info(id: string): Promise<SessionInfo> {
    const trace = await TraceStore.open(this.git, this.repo.topLevel, this.checkId(id));
    const { header, steps, end } = await trace.read();
    const accepted = await this.git.succeeds(this.repo.topLevel, ["show-ref", "--verify", "--quiet", sessionRefs.backup(id, "accepted")]);
    return {
      id,
      branch: header.branch,
      task: header.task,
      ...(header.issue === undefined ? {} : { issue: header.issue }),
      base: header.base,
      createdAt: header.createdAt,
      status: accepted ? "accepted" : end ? "finished" : "active",
      steps: steps.length,
      ...(end ? { summary: end.summary } : {}),
      worktreePath: this.worktreePathFor(id),
    };
  }

  /** Opens a session to continue it (resume after a restart): recreates its worktree if it is gone
   * and drops changes no step recorded (a call interrupted mid-way), so the files match the trace. */
  async load(id: string): Promise<Session> {
    const trace = await TraceStore.open(this.git, this.repo.topLevel, this.checkId(id));
    const header = await trace.readHeader();
    if (!(await branchExists(this.git, this.repo, header.branch))) throw new SessionError("session-not-active", `Session ${id} was accepted or its branch ${header.branch} was deleted; it cannot continue.`);
    const worktree = await this.ownWorktree(await this.ensureWorktree(id, header.branch), header.branch);
    // A run killed mid-command (the editor closed, the batch child killed) leaves git's lock files.
    for (const lock of await worktree.clearStaleLocks([sessionRefs.trace(id)])) this.options.log?.(`removed ${lock}: a stale git lock a killed run of session ${id} left`);
    await worktree.run(["reset", "-q", "--hard", "HEAD"]);
    await worktree.run(["clean", "-q", "-fd"]);
    const tip = (await this.git.run(this.repo.topLevel, ["rev-parse", "--verify", "--end-of-options", `refs/heads/${header.branch}^{commit}`])).trim();
    return new Session(worktree, header, trace, this.snapshots, this.snapshotBudgetBytes, tip);
  }

  /** The session's whole trace (header, every step, end), read from its ref. */
  async readTrace(id: string): Promise<Trace> {
    return (await TraceStore.open(this.git, this.repo.topLevel, this.checkId(id))).read();
  }

  /** Files changed by the session: its fork point on the base against its branch tip. */
  async changedFiles(id: string, step?: number): Promise<ChangedFile[]> {
    const { header, steps } = await (await TraceStore.open(this.git, this.repo.topLevel, this.checkId(id))).read();
    const right = step === undefined ? await this.sessionTip(id, header) : steps[step - 1]?.commit;
    if (!right) return [];
    const left = step === undefined ? header.base.commit : `${right}^`;
    const out = await this.git.run(this.repo.topLevel, ["diff", "--name-status", "-z", "-M", left, right, "--"]);
    return parseNameStatus(out);
  }

  /** The commit a session's files are at (branch tip, or the accepted tip kept in a backup ref). */
  async sessionTip(id: string, header?: TraceHeader): Promise<string> {
    const h = header ?? (await (await TraceStore.open(this.git, this.repo.topLevel, this.checkId(id))).readHeader());
    for (const ref of [`refs/heads/${h.branch}`, sessionRefs.backup(id, "accepted")]) {
      const out = await this.git.run(this.repo.topLevel, ["rev-parse", "-q", "--verify", ref]).catch(() => "");
      if (out.trim()) return out.trim();
    }
    throw new SessionError("unknown-session", `Session ${id} has neither a branch nor an accepted tip.`);
  }

  rewind(id: string, step: number): Promise<RewindResult> {
    return rewindSession(this, this.checkId(id), step);
  }

  accept(id: string, options: AcceptOptions): Promise<AcceptResult> {
    return acceptSession(this, this.checkId(id), options);
  }

  /** Deletes the session's worktree, branch, trace, backups and snapshots. Confirm with the user first. */
  async discard(id: string): Promise<void> {
    const header = await (await TraceStore.open(this.git, this.repo.topLevel, this.checkId(id))).readHeader();
    await this.removeWorktree(id);
    const refs = await this.git.run(this.repo.topLevel, ["for-each-ref", "--format=%(refname)", `refs/heads/${header.branch}`, sessionRefs.backupsPrefix(id)]);
    // One transaction for every ref, so a failure leaves the session whole rather than half deleted.
    const deletions = [...refs.split("\n").filter(Boolean), sessionRefs.trace(id)].map((ref) => `delete ${ref}\n`).join("");
    await this.git.run(this.repo.topLevel, ["update-ref", "--stdin"], { input: deletions });
    this.snapshots.removeSession(id);
  }

  /** Applies the snapshot size budget (setting infiniteToolUse.snapshots.budgetMB). */
  pruneSnapshots(): number {
    return this.snapshots.prune(this.snapshotBudgetBytes).length;
  }

  async removeWorktree(id: string): Promise<void> {
    const path = this.worktreePathFor(id);
    if (existsSync(path)) await this.git.run(this.repo.topLevel, ["worktree", "remove", "--force", path]);
    else await this.git.run(this.repo.topLevel, ["worktree", "prune"]);
  }

  checkId(id: string): string {
    if (!isValidSessionId(id)) throw new SessionError("unknown-session", `${JSON.stringify(id)} is not a session id.`);
    return id;
  }

  /** The worktree's git, checked to be the session's own. A `.git` file that was changed or removed
   * is rewritten from the repository's side (`git worktree repair`) before anything runs there. */
  private async ownWorktree(path: string, branch: string): Promise<SessionWorktree> {
    const worktree = SessionWorktree.locate(this.git, this.repo.commonDir, path, branch);
    try {
      worktree.assertOwn();
    } catch {
      await this.git.run(this.repo.topLevel, ["worktree", "repair", path]);
      worktree.assertOwn();
    }
    return worktree;
  }

  private isRegisteredWorktree(path: string, branch: string): boolean {
    try {
      SessionWorktree.locate(this.git, this.repo.commonDir, path, branch);
      return true;
    } catch {
      return false;
    }
  }

  private async ensureWorktree(id: string, branch: string): Promise<string> {
    const path = this.worktreePathFor(id);
    if (existsSync(join(path, ".git")) || (existsSync(path) && this.isRegisteredWorktree(path, branch))) return path;
    await this.git.run(this.repo.topLevel, ["worktree", "prune"]);
    await this.git.run(this.repo.topLevel, ["worktree", "add", "--quiet", path, branch]);
    return path;
  }

  private async resolveBase(base: string | undefined): Promise<TraceHeader["base"]> {
    if (base === undefined) return { ref: await currentBranch(this.git, this.repo), commit: await requireCommit(this.git, this.repo, "HEAD") };
    if (base.startsWith("-")) throw new SessionError("invalid-argument", `${JSON.stringify(base)} is not a branch or commit.`);
    const commit = await requireCommit(this.git, this.repo, base);
    const ref = (await branchExists(this.git, this.repo, base)) ? base : null;
    return { ref, commit };
  }

  private async unusedId(candidate: string): Promise<string> {
    const out = await this.git.run(this.repo.topLevel, ["for-each-ref", "--format=%(refname)", `refs/heads/${this.prefix}${candidate}`, `refs/heads/${this.prefix}${candidate}-*`, sessionRefs.trace(candidate), `${sessionRefs.trace(candidate)}-*`]);
    const taken = new Set(out.split("\n").filter(Boolean).map((ref) => ref.slice(ref.lastIndexOf("/") + 1)));
    for (let n = 1; ; n++) {
      const id = n === 1 ? candidate : `${candidate}-${n}`;
      if (!taken.has(id)) return id;
    }
  }
}

export function parseNameStatus(out: string): ChangedFile[] {
  const fields = out.split("\0").filter((f) => f.length > 0);
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++]!;
    if (/^[RC]/.test(status)) {
      const from = fields[i++]!;
      files.push({ status: status[0]!, from, path: fields[i++]! });
    } else files.push({ status, path: fields[i++]! });
  }
  return files;
}
