// What part 1 (before the editor is killed) leaves for part 2 (after it is started again): a file in
// the run folder, which both launches share with the workspace and the profile.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export interface BeforeRestart {
  sessionId: string;
  branch: string;
  worktree: string;
  userHead: string;
  /** The branch tip after step 3. */
  tip: string;
  modelPath: string;
  /** The model host's pid in the killed editor. */
  modelHostPid: number;
  tokensAtStep3: number;
  logitsAtStep3: number[];
}

export const stateFile = (): string => join(process.env.ITU_RUN_DIR ?? "", "before-restart.json");
export const TASK = "Make greet() say Hello instead of Hi";

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" });
}

