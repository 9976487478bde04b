// Arguments of `run <workspace> --task <text or .md file> (--model <file.gguf> | --engine <url> | --replay <trace or branch>) [--json]`.
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { errorMessage } from "../../core/errorMessage";
import { engineUrlProblem } from "../engineUrl";

export const RUN_USAGE = `Usage: infinite-tool-use run <workspace> (--task <text | issue.md> | --resume <session-id>) (--model <file.gguf> | --engine <url> | --replay <trace.jsonl | branch>) [--json]

Starts VS Code headless (code-server + Chromium, or desktop VS Code with ITU_VSCODE=desktop) with the
extension on <workspace> (a git repository), runs one session, and prints the session's branch and
summary (one JSON object with --json). Exits 0 when the session finished, 1 when it ended otherwise
(budget, repeat, error), 2 on bad arguments.

Options:
  --task <text|file.md>  the task; a .md file's first "# " heading is its title, the rest its body
  --model <file.gguf>    run the model in this GGUF file
  --engine <url>         run on this llama-server (its model, a slot of its own; docs/server-engine.md)
  --replay <source>      re-run the calls of a trace file (docs/trace-format.md) or of a session branch
  --resume <session-id>  continue this unfinished session (its trace) instead of starting one; --task is then not needed
  --json                 print the result as JSON
  --timeout <seconds>    give up after this long (default 1800)`;

export interface RunOptions {
  workspace: string;
  task: string;
  issueNumber?: number;
  model?: string;
  engine?: string;
  replay?: string;
  resume?: string;
  json: boolean;
  timeoutMs: number;
}

function readTask(value: string): { task: string; issueNumber?: number } {
  if (!/\.md$/i.test(value) || !existsSync(value)) return { task: value };
  const text = readFileSync(value, "utf8");
  const number = /^number:\s*(\d+)\s*$/m.exec(text.split(/^---\s*$/m)[1] ?? "");
  const body = text.replace(/^---[\s\S]*?^---\s*$/m, "").trim();
  return { task: body, ...(number ? { issueNumber: Number(number[1]) } : {}) };
}

export function parseRunArgs(argv: readonly string[]): { options: RunOptions } | { error: string } | { help: true } {
  if (argv.includes("--help") || argv.includes("-h")) return { help: true };
  let workspace: string | undefined;
  let taskArg: string | undefined;
  let model: string | undefined;
  let engine: string | undefined;
  let replay: string | undefined;
  let resume: string | undefined;
  let json = false;
  let timeoutMs = 1_800_000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === "--task") taskArg = value();
      else if (arg === "--model") model = resolve(value());
      else if (arg === "--engine") engine = value();
      else if (arg === "--replay") replay = value();
      else if (arg === "--resume") resume = value();
      else if (arg === "--json") json = true;
      else if (arg === "--timeout") timeoutMs = Number(value()) * 1000;
      else if (arg.startsWith("--")) return { error: `unknown option ${arg}` };
      else if (workspace === undefined) workspace = resolve(arg);
      else return { error: `unexpected argument ${arg}` };
    } catch (error) {
      return { error: errorMessage(error) };
    }
  }
  if (!workspace) return { error: "the workspace folder is missing" };
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) return { error: `${workspace} is not a folder` };
  if (!taskArg && resume === undefined) return { error: "--task is missing" };
  if ([model, engine, replay].filter((v) => v !== undefined).length !== 1) return { error: "give exactly one of --model, --engine and --replay" };
  const engineProblem = engine === undefined ? undefined : engineUrlProblem(engine);
  if (engineProblem) return { error: engineProblem };
  if (model !== undefined && !existsSync(model)) return { error: `model file ${model} does not exist` };
  if (replay !== undefined && existsSync(replay)) replay = resolve(replay);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return { error: "--timeout must be a positive number of seconds" };
  return { options: { workspace, ...readTask(taskArg ?? ""), model, ...(engine !== undefined ? { engine } : {}), replay, ...(resume !== undefined ? { resume } : {}), json, timeoutMs } };
}
