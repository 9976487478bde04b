// Which tool packs a session gets, decided when it starts (core/tools/packs.ts has the rule): from
// the task, the files tracked in the session's worktree and the `infiniteToolUse.tools.prose` /
// `.cad` settings (`auto`, `on`, `off`).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as vscode from "vscode";
import { choosePacks, packDefinitions, type PackName, type PackSetting } from "../../core/tools/packs";

const run = promisify(execFile);

async function trackedFiles(root: string): Promise<string[]> {
  try {
    const { stdout } = await run("git", ["ls-files", "-z"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return stdout.split("\0").filter((f) => f !== "").slice(0, 20_000);
  } catch {
    return [];
  }
}

function setting(name: PackName): PackSetting {
  const value = vscode.workspace.getConfiguration("infiniteToolUse.tools").get<string>(name, "auto");
  return value === "on" || value === "off" ? value : "auto";
}

/** `usedTools`: a resumed session keeps every pack its recorded steps used (unless set to off). */
export async function packsForSession(task: string, root: string, usedTools: readonly string[] = []): Promise<PackName[]> {
  const settings = { prose: setting("prose"), cad: setting("cad") };
  const chosen = choosePacks({ task, files: await trackedFiles(root), settings });
  for (const name of Object.keys(packDefinitions) as PackName[]) {
    const used = packDefinitions[name].some((d) => usedTools.includes(d.name));
    if (used && settings[name] !== "off" && !chosen.includes(name)) chosen.push(name);
  }
  return chosen;
}
