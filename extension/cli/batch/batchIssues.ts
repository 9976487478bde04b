// The issues of a batch: issue files from a folder, or the open GitHub issues with a label (written
// to issue files in a scratch folder, so that every session reads its task the same way).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { environmentAdvice, GitHubClient } from "../../core/issues/github";
import { findGitHubRemote } from "../../core/issues/gitRemote";
import { parseMarkdownIssue } from "../../core/issues/markdownIssue";
import { apiBaseFor } from "../../core/issues/remote";
import type { BatchOptions } from "./batchArgs";

export interface BatchIssue {
  readonly number: number;
  readonly title: string;
  /** The .md file `run --task` reads. */
  readonly file: string;
}

/** Every issue needs a number: it is how a rerun finds the issue's session (the trace records it). */
export function readIssueFolder(folder: string): BatchIssue[] {
  const files = readdirSync(folder).filter((f) => /\.md$/i.test(f)).sort();
  if (files.length === 0) throw new Error(`${folder} holds no issue .md files`);
  const issues = files.map((name) => {
    const file = join(folder, name);
    const task = parseMarkdownIssue(readFileSync(file, "utf8"), name);
    if (task.issueNumber === undefined) throw new Error(`${name} has no "number:" in its front matter; a batch needs it to find the issue's session on a rerun`);
    return { number: task.issueNumber, title: task.title, file };
  });
  const seen = new Map<number, string>();
  for (const issue of issues) {
    const other = seen.get(issue.number);
    if (other) throw new Error(`issue ${issue.number} appears twice (${other} and ${issue.file})`);
    seen.set(issue.number, issue.file);
  }
  return issues;
}

export async function labelledIssues(repo: string, label: string, scratch: string): Promise<BatchIssue[]> {
  const ref = await findGitHubRemote(repo);
  const client = new GitHubClient({ baseUrl: apiBaseFor(ref, process.env.GITHUB_API_URL ?? ""), advice: environmentAdvice, ...(process.env.GITHUB_TOKEN ? { token: process.env.GITHUB_TOKEN } : {}) });
  const open = await client.listLabelledIssues(ref.owner, ref.repo, label);
  if (open.length === 0) throw new Error(`${ref.owner}/${ref.repo} has no open issue labelled "${label}" (and no folder of that name exists)`);
  mkdirSync(scratch, { recursive: true });
  return open.map((issue) => {
    const file = join(scratch, `${issue.number}.md`);
    writeFileSync(file, `---\nnumber: ${issue.number}\n---\n# ${issue.title}\n\n${issue.body}\n\n(${issue.url})\n`);
    return { number: issue.number, title: issue.title, file };
  });
}

export function batchIssues(options: BatchOptions, scratch: string): Promise<BatchIssue[]> {
  return options.issues.kind === "dir" ? Promise.resolve(readIssueFolder(options.issues.path)) : labelledIssues(options.repo, options.issues.label, scratch);
}
