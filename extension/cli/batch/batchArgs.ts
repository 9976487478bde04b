// Arguments of `batch <repo> --issues <dir | label> (--engine <url> | --model <gguf> | --replay <trace>) --parallel N [--json]`.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseCommandLine, positiveInteger } from "../args";
import { engineUrlProblem } from "../engineUrl";

export const BATCH_USAGE = `Usage: infinite-tool-use batch <repo> --issues <dir | label> (--engine <url> | --model <file.gguf> | --replay <trace>) [--parallel N] [--json]

Runs one headless session per issue on <repo> (a git repository), each on its own branch and worktree,
N at a time. Every session is its own \`run\` child process with its own headless VS Code, so a session
that crashes or is killed never blocks the others. A progress line per session (started, step count,
ended: reason), then a table (issue, branch, steps, tokens, exit reason), or one JSON object with --json.
Rerunning the same batch skips the issues whose session finished and resumes the unfinished ones.

Options:
  --issues <dir|label>   a folder of issue .md files (each with "number:" in its front matter), or a
                         label: the open GitHub issues of the repository's GitHub remote with that label
                         (GITHUB_TOKEN is used when set, GITHUB_API_URL overrides the API's address;
                         GitHub is the only issue store the product has)
  --engine <url>         a llama-server URL, passed verbatim to each \`run\` (--engine)
  --model <file.gguf>    run the model in this GGUF file in each session (in-process)
  --replay <trace>       replay this trace file's calls in every session (deterministic; for tests)
  --parallel N           sessions at a time (default 1); each one is a VS Code: on a small machine 2-4
  --timeout <seconds>    give up on one session after this long (default 1800)
  --json                 print the summary as one JSON object
  -h, --help             show this help

Exit status: 0 every issue's session finished; 1 some did not; 2 bad usage.`;

export type EngineChoice = { readonly kind: "engine" | "model" | "replay"; readonly value: string };

export interface BatchOptions {
  readonly repo: string;
  /** A folder of issue files, or a GitHub label. */
  readonly issues: { readonly kind: "dir"; readonly path: string } | { readonly kind: "label"; readonly label: string };
  readonly engine: EngineChoice;
  readonly parallel: number;
  readonly timeoutSeconds: number;
  readonly json: boolean;
}

export function parseBatchArgs(argv: readonly string[]): { options: BatchOptions } | { error: string } | { help: true } {
  const parsed = parseCommandLine(argv, {
    issues: { type: "string" },
    engine: { type: "string" },
    model: { type: "string" },
    replay: { type: "string" },
    parallel: { type: "string" },
    timeout: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if ("error" in parsed) return parsed;
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1) return { error: positionals.length === 0 ? "batch needs a repository folder" : "batch takes one repository folder" };
  const repo = resolve(positionals[0]!);
  if (!existsSync(repo) || !statSync(repo).isDirectory()) return { error: `${repo} is not a folder` };
  if (!existsSync(resolve(repo, ".git"))) return { error: `${repo} is not a git repository` };
  if (!values.issues) return { error: "--issues is missing (a folder of issue .md files, or a label)" };
  const issuesPath = resolve(values.issues);
  const issues = existsSync(issuesPath) && statSync(issuesPath).isDirectory() ? { kind: "dir" as const, path: issuesPath } : { kind: "label" as const, label: values.issues };
  const chosen = (["engine", "model", "replay"] as const).filter((k) => values[k] !== undefined);
  if (chosen.length !== 1) return { error: "give exactly one of --engine, --model and --replay" };
  const kind = chosen[0]!;
  let value = values[kind]!;
  const engineProblem = kind === "engine" ? engineUrlProblem(value) : undefined;
  if (engineProblem) return { error: engineProblem };
  if (kind === "model") {
    value = resolve(value);
    if (!existsSync(value)) return { error: `model file ${value} does not exist` };
  }
  if (kind === "replay" && existsSync(value)) value = resolve(value);
  const parallel = positiveInteger("parallel", values.parallel, 1);
  const timeoutSeconds = positiveInteger("timeout", values.timeout, 1800);
  for (const v of [parallel, timeoutSeconds]) if (typeof v === "string") return { error: v };
  return { options: { repo, issues, engine: { kind, value }, parallel: parallel as number, timeoutSeconds: timeoutSeconds as number, json: values.json ?? false } };
}
