// The one gate every git operation of the session store goes through: it runs git (through
// simple-git), logs the command line and how long it took, and turns failures into SessionErrors
// with a stable code. Nothing else in the store spawns git.
import { simpleGit, type SimpleGitOptions } from "simple-git";
import { noCommitsMessage, SessionError, type SessionErrorCode } from "./errors";
import { errorMessage } from "../errorMessage";

export type GitLogger = (line: string) => void;

export interface GitRunOptions {
  /** Written to git's standard input (mktree, hash-object --stdin, ...). */
  readonly input?: string;
  /** Extra environment for this command only (GIT_INDEX_FILE, GIT_DIR, GIT_AUTHOR_*, ...). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface GitGateOptions {
  readonly log?: GitLogger;
  /** The git executable; `git` on PATH by default. */
  readonly binary?: string;
}

/** Identity and settings for the commits the store writes, so that the user's config (signing,
 * hooks, missing user.name) can neither block a step nor run code. */
const storeConfig = ["commit.gpgsign=false", "core.hooksPath=/dev/null", "gc.auto=0", "core.quotepath=false"];
export const storeIdentity: Readonly<Record<string, string>> = {
  GIT_AUTHOR_NAME: "Infinite Tool Use",
  GIT_AUTHOR_EMAIL: "agent@infinite-tool-use.invalid",
  GIT_COMMITTER_NAME: "Infinite Tool Use",
  GIT_COMMITTER_EMAIL: "agent@infinite-tool-use.invalid",
};
/** simple-git waits an extra 50 ms after any command that printed nothing (update-ref, add, commit -q:
 * most of a step's commands), which made a step cost ~0.4 s. GIT_TRACE=2 makes every command print a
 * trace line on stderr, which ends that wait; the lines are dropped again in exitStatusDecides. */
const traceEnvironment = { GIT_TRACE: "2" };
const traceLine = /^\d\d:\d\d:\d\d\.\d+ \S+:\d+ +(trace|run_command|exec):.*$\n?/gm;
const allowedEnvironment = [...Object.keys(storeIdentity), ...Object.keys(traceEnvironment), "GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"];

export class GitGate {
  private readonly log: GitLogger;
  private readonly binary: string;

  constructor(options: GitGateOptions = {}) {
    this.log = options.log ?? (() => undefined);
    this.binary = options.binary ?? "git";
  }

  /** Runs `git <args>` in `cwd` and returns its standard output (untrimmed). */
  async run(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
    if (options.input === "") throw new SessionError("invalid-argument", `git ${args[0] ?? ""}: empty standard input is not supported (simple-git would leave it open).`);
    const started = performance.now();
    const line = `git ${args.map(quoteForLog).join(" ")}`;
    try {
      const git = simpleGit(this.clientOptions(cwd, options));
      git.env({ ...environmentWithoutGitVariables(), ...storeIdentity, ...traceEnvironment, ...options.env });
      const out = await git.raw([...args]);
      this.log(`${line}  (${(performance.now() - started).toFixed(0)} ms, cwd ${cwd})`);
      return out;
    } catch (error) {
      const mapped = mapGitError(args, error);
      this.log(`${line}  failed [${mapped.code}]: ${mapped.git?.stderr.trim() ?? mapped.message}`);
      throw mapped;
    }
  }

  /** Like run(), but a failing exit status is an answer (false), not an error. */
  async succeeds(cwd: string, args: readonly string[]): Promise<boolean> {
    try {
      await this.run(cwd, args);
      return true;
    } catch (error) {
      if (error instanceof SessionError && error.code === "git-failed") return false;
      throw error;
    }
  }

  private clientOptions(cwd: string, options: GitRunOptions): Partial<SimpleGitOptions> {
    return {
      baseDir: cwd,
      binary: this.binary,
      config: storeConfig,
      allowEnvironment: allowedEnvironment,
      // hooksPath is pointed at /dev/null to switch the repository's hooks off, never to run any.
      unsafe: { allowUnsafeCustomBinary: true, allowUnsafeHooksPath: true },
      trimmed: false,
      // Settle on "close" (all output read), never on "exit" + 50 ms: under load, output still in
      // the pipe was lost that way (an empty commit id from commit-tree, seen in a busy test run).
      completion: { onClose: true, onExit: false },
      errors: exitStatusDecides,
      ...(options.input === undefined ? {} : { input: () => options.input }),
    };
  }
}

/** Ambient GIT_* variables (GIT_DIR from a hook, GIT_ASKPASS from an editor) would redirect or
 * alter the store's commands; they are dropped rather than passed through. */
/** The store's git never opens an editor or a pager; simple-git also refuses to pass EDITOR/PAGER on
 * (npm sets EDITOR for its scripts), so they are dropped with the GIT_* variables. */
function environmentWithoutGitVariables(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !/^(git_|editor$|visual$|pager$)/i.test(key)) env[key] = value;
  return env;
}

/** simple-git fails a command only when it wrote to stderr; here the exit status decides, so that
 * show-ref --quiet, diff --quiet and merge-base --is-ancestor can answer with it. */
function exitStatusDecides(error: Buffer | Error | undefined, result: { exitCode: number; stdErr: Buffer[] }): Error | undefined {
  if (result.exitCode === 0) return error instanceof Error ? error : undefined;
  const stderr = Buffer.concat(result.stdErr).toString("utf8").replace(traceLine, "").trim();
  const fallback = error instanceof Error ? error.message : `exit code ${result.exitCode}`;
  return new Error(stderr || fallback);
}

function quoteForLog(arg: string): string {
  const short = arg.length > 120 ? `${arg.slice(0, 117)}...` : arg;
  return /^[\w./:=@^~-]+$/.test(short) ? short : JSON.stringify(short);
}

const stderrCodes: ReadonlyArray<[RegExp, SessionErrorCode, string]> = [
  [/not a git repository/i, "not-a-repository", "This folder is not inside a git repository."],
  [/does not have any commits yet|ambiguous argument 'HEAD'/i, "no-commits", noCommitsMessage],
];

export function mapGitError(args: readonly string[], error: unknown): SessionError {
  const text = errorMessage(error);
  if (/spawn \S+ ENOENT/.test(text)) {
    return new SessionError("git-missing", "Git was not found. Install git and make sure it is on PATH.", { command: args, stderr: text });
  }
  for (const [pattern, code, message] of stderrCodes) {
    if (pattern.test(text)) return new SessionError(code, message, { command: args, stderr: text });
  }
  return new SessionError("git-failed", `git ${args[0] ?? ""} failed: ${firstLine(text)}`, { command: args, stderr: text });
}

function firstLine(text: string): string {
  return text.trim().split("\n").find((l) => l.trim().length > 0)?.trim() ?? "unknown error";
}
