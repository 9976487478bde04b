// Arguments of `from-git <repo> --range A..B [--issue FILE|N] --out DIR [--check]`.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { defaultConvertLimits } from "../../core/fromGit/types";
import { parseCommandLine, positiveInteger } from "../args";

export const FROM_GIT_USAGE = `Usage: infinite-tool-use from-git <repo> --range A..B --out DIR [--issue FILE.md | N] [--check] [options]

Turns every non-merge commit of the range into tool calls that, replayed from the commit's parent
(\`run --replay\`), reproduce the commit's tree: reads before edits, replace_range / insert_lines per
hunk with their stale-line guards, create_file / delete_file / rename_file, the commit message as a
notes call. Writes DIR/manifest.json, DIR/commits/NNNN-<sha>.jsonl (each commit alone, ending with
finish) and, for a linear range, DIR/session.jsonl (the range as one session). The repository is
only read. docs/training-data.md describes the files.

Options:
  --range A..B          the commits to convert (git's range syntax; "B" alone means B and its ancestors)
  --out DIR             where to write (created; existing files of the same names are replaced)
  --issue FILE.md | N   the task: a Markdown issue file, or issue N of the repository's GitHub remote
                        (GITHUB_TOKEN is used when set, GITHUB_API_URL overrides the API's address)
  --check               replay every converted commit in one headless VS Code (in a scratch clone)
                        and print "N/M commits reproduce the exact tree" with the reason for each miss
  --max-file-bytes N    skip files larger than N bytes (default ${defaultConvertLimits.maxFileBytes})
  --max-files N         report, rather than convert, a commit touching more than N files (default ${defaultConvertLimits.maxFiles})
  --json                print the check's result as one JSON object
  --timeout S           give up the check after S seconds (default: 120 plus 60 per commit)
  -h, --help            show this help

Exit status: 0 done (with --check: at least 99% of the text-only commits reproduce exactly);
1 the check fell short or failed; 2 bad usage or input.`;

export interface FromGitOptions {
  readonly repo: string;
  readonly range: string;
  readonly out: string;
  readonly issue?: { file: string } | { number: number };
  readonly check: boolean;
  readonly json: boolean;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly timeoutMs?: number;
}

export function parseFromGitArgs(argv: readonly string[]): { options: FromGitOptions } | { error: string } | { help: true } {
  const parsed = parseCommandLine(argv, {
    range: { type: "string" },
    out: { type: "string" },
    issue: { type: "string" },
    check: { type: "boolean" },
    json: { type: "boolean" },
    "max-file-bytes": { type: "string" },
    "max-files": { type: "string" },
    timeout: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if ("error" in parsed) return parsed;
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1) return { error: positionals.length === 0 ? "from-git needs a repository folder" : "from-git takes one repository folder" };
  const repo = resolve(positionals[0]!);
  if (!existsSync(repo) || !statSync(repo).isDirectory()) return { error: `${repo} is not a folder` };
  if (!values.range) return { error: "--range is missing (for example --range main~10..main)" };
  if (!values.out) return { error: "--out is missing" };
  const maxFileBytes = positiveInteger("max-file-bytes", values["max-file-bytes"], defaultConvertLimits.maxFileBytes);
  const maxFiles = positiveInteger("max-files", values["max-files"], defaultConvertLimits.maxFiles);
  const timeout = values.timeout === undefined ? undefined : positiveInteger("timeout", values.timeout, 1);
  for (const v of [maxFileBytes, maxFiles, timeout]) if (typeof v === "string") return { error: v };
  let issue: FromGitOptions["issue"];
  if (values.issue !== undefined) {
    if (/^#?\d+$/.test(values.issue)) issue = { number: Number(values.issue.replace("#", "")) };
    else if (existsSync(values.issue)) issue = { file: resolve(values.issue) };
    else return { error: `--issue ${values.issue} is neither an issue number nor an existing Markdown file` };
  }
  return {
    options: {
      repo,
      range: values.range,
      out: resolve(values.out),
      ...(issue ? { issue } : {}),
      check: values.check ?? false,
      json: values.json ?? false,
      maxFileBytes: maxFileBytes as number,
      maxFiles: maxFiles as number,
      ...(timeout !== undefined ? { timeoutMs: (timeout as number) * 1000 } : {}),
    },
  };
}
