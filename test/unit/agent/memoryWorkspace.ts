// An in-memory stand-in for the tool executor, used ONLY for the loop's own logic (budgets, repeat
// detection, cancellation, events, recording order): the real tools (extension/core/tools/ and their
// VS Code implementations) were not available when these tests were written. It implements a few
// tools over a Map of files, faithfully enough that a replayed trace changes real bytes.
import type { Observation, ToolCall } from "../../../extension/core/tools/types";
import type { ToolExecutor } from "../../../extension/core/agent/types";

export class MemoryWorkspace implements ToolExecutor {
  readonly files = new Map<string, string>();
  readonly executed: ToolCall[] = [];
  notes = "";
  /** Set to make execute() hang until the signal aborts (cancellation tests). */
  hang = false;
  /** Counter shown by `run_task`, so that repeated runs can differ when a test wants them to. */
  runs = 0;
  runOutputChanges = false;

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.files.set(path, text);
  }

  async execute(call: ToolCall, signal: AbortSignal): Promise<Observation> {
    this.executed.push(call);
    if (this.hang) await new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
    const path = String(call.args.path ?? "");
    switch (call.tool) {
      case "open_range": {
        const text = this.files.get(path);
        if (text === undefined) return { ok: false, text: `${path} does not exist` };
        const lines = text.split("\n");
        return { ok: true, text: lines.map((l, i) => `${i + 1}: ${l}`).join("\n"), summary: `${path}: ${lines.length} lines` };
      }
      case "create_file":
        if (this.files.has(path)) return { ok: false, text: `${path} already exists` };
        this.files.set(path, call.body ?? "");
        return { ok: true, text: `created ${path}`, changedFiles: [path] };
      case "replace_range": {
        const text = this.files.get(path);
        if (text === undefined) return { ok: false, text: `${path} does not exist` };
        const lines = text.split("\n");
        lines.splice(Number(call.args.start) - 1, Number(call.args.end) - Number(call.args.start) + 1, ...(call.body ?? "").split("\n"));
        this.files.set(path, lines.join("\n"));
        return { ok: true, text: `replaced lines ${call.args.start}-${call.args.end} of ${path}`, changedFiles: [path] };
      }
      case "notes":
        if (call.args.action === "write") this.notes = call.body ?? "";
        if (call.args.action === "append") this.notes += `\n${call.body ?? ""}`;
        return { ok: true, text: call.args.action === "read" ? this.notes : "notes saved" };
      case "run_task":
        this.runs++;
        return { ok: true, text: `exit code 0${this.runOutputChanges ? ` (run ${this.runs})` : ""}` };
      case "finish":
        return { ok: true, text: "finished" };
      default:
        return { ok: false, text: `the memory workspace does not implement ${call.tool}` };
    }
  }
}
