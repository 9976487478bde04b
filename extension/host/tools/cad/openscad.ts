// Running OpenSCAD headless. Geometry is exported as OFF (no OpenGL needed); a PNG needs an OpenGL
// context, which a machine without a display gets from `xvfb-run` (Debian's xvfb package) with
// Mesa's software renderer. Every run is killed, with its whole process group (xvfb-run's X server
// included), at the timeout. OpenSCAD runs in the file's folder with its library path set to the
// workspace and HOME set to a scratch folder, so it finds no user or system libraries of its own.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runProcess, type ProcessOutcome } from "../../../core/tools/processRunner";

export interface OpenscadRun {
  readonly outcome: ProcessOutcome;
  /** The exported file's bytes, when OpenSCAD wrote one. */
  readonly output?: Buffer;
}

export interface OpenscadOptions {
  readonly root: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

const onPath = (program: string) => (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, program)));

export function openscadInstalled(): boolean {
  return onPath("openscad");
}

export const notInstalledMessage = "OpenSCAD is not installed on this machine (on Debian or Ubuntu: apt-get install openscad), so .scad files cannot be compiled or rendered";

/** Exports `file` (absolute) to `<scratch>/<name>`, with extra OpenSCAD arguments; reads the result back. */
export async function runOpenscad(file: string, name: string, extraArgs: readonly string[], options: OpenscadOptions): Promise<OpenscadRun> {
  const scratch = await mkdtemp(path.join(tmpdir(), "itu-openscad-"));
  try {
    const out = path.join(scratch, name);
    const args = ["-o", out, ...extraArgs, path.basename(file)];
    // A PNG needs a display; without one, xvfb-run starts a private X server for this run only.
    const needsDisplay = name.endsWith(".png") && !process.env.DISPLAY;
    if (needsDisplay && !onPath("xvfb-run")) {
      throw new Error("rendering a PNG needs a display, and xvfb-run (Debian's xvfb package) is not installed");
    }
    const command = needsDisplay ? "xvfb-run" : "openscad";
    const commandArgs = needsDisplay ? ["-a", "-s", "-screen 0 1024x768x24", "openscad", ...args] : args;
    const outcome = await runProcess(
      { command, args: commandArgs, shell: false, cwd: path.dirname(file), env: { OPENSCADPATH: options.root, HOME: scratch, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch } },
      { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) },
    );
    const output = existsSync(out) ? await readFile(out) : undefined;
    return output && output.length > 0 ? { outcome, output } : { outcome };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
