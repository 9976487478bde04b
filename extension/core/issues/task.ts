// A task as the agent receives it, whichever door it came through (a GitHub issue, a local
// Markdown issue file, selected text). Its title and body are the task text; an issue number, when
// there is one, names the session's branch.
import { slugify } from "../sessions/naming";

export type TaskSource =
  | { readonly kind: "github"; readonly owner: string; readonly repo: string; readonly url: string }
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "text" };

export interface Task {
  readonly title: string;
  readonly body: string;
  readonly issueNumber?: number;
  readonly source: TaskSource;
}

const titleFromTextLength = 80;

/** The text the model reads as its task. */
export function taskText(task: Task): string {
  const heading = task.issueNumber === undefined ? task.title : `${task.title} (issue #${task.issueNumber})`;
  return task.body.trim() ? `${heading}\n\n${task.body.trim()}` : heading;
}

/** The branch slug: `issue-<n>-<slugified title>` for an issue, the slugified title otherwise (ASCII, bounded). */
export function branchSlug(task: Task): string {
  // Accents are dropped before slugifying so that "émoji" reads "emoji", not "e-moji".
  const withoutAccents = task.title.normalize("NFKD").replace(/\p{M}+/gu, "");
  return slugify(withoutAccents, task.issueNumber);
}

/** Selected text as a task: its first line is the title. */
export function taskFromText(text: string): Task {
  const trimmed = text.trim();
  if (!trimmed) throw new Error("The selected text is empty: select the task's description first.");
  const firstLine = trimmed.split(/\r?\n/, 1)[0]!.replace(/^#+\s*/, "").trim();
  const title = firstLine.length > titleFromTextLength ? `${firstLine.slice(0, titleFromTextLength - 1)}…` : firstLine;
  return { title, body: trimmed, source: { kind: "text" } };
}

export function taskFromGitHubIssue(issue: { number: number; title: string; body: string; url: string }, owner: string, repo: string): Task {
  return { title: issue.title, body: issue.body, issueNumber: issue.number, source: { kind: "github", owner, repo, url: issue.url } };
}
