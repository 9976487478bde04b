// Every failure of the session store is a SessionError with a code the editor can act on (offer
// `git init`, show the log, ...) and a message a user can read. Git's own output is kept for the log.

export type SessionErrorCode =
  | "git-missing"
  | "not-a-repository"
  | "operation-in-progress"
  | "no-commits"
  | "unknown-session"
  | "invalid-argument"
  | "invalid-trace"
  | "session-not-active"
  | "session-changed-elsewhere"
  | "worktree-tampered"
  | "base-moved-conflict"
  | "base-not-a-branch"
  | "user-changes-overlap"
  | "git-failed";

export interface GitFailureDetails {
  readonly command: readonly string[];
  readonly stderr: string;
}

/** The message for a repository without a first commit (git reports it in several ways). */
export const noCommitsMessage = "The repository has no commits yet; make a first commit before starting a session.";

export class SessionError extends Error {
  constructor(
    readonly code: SessionErrorCode,
    message: string,
    readonly git?: GitFailureDetails,
  ) {
    super(message);
    this.name = "SessionError";
  }
}

export function isSessionError(error: unknown, code?: SessionErrorCode): error is SessionError {
  return error instanceof SessionError && (code === undefined || error.code === code);
}
