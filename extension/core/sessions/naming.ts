// Session ids and branch names: `<prefix><date>-<slug>`, e.g. `infinite/2026-11-21-issue-42-fix-parser`.
// The id is the branch name without its prefix; it also names the session's refs and folders.
import { SessionError } from "./errors";

export const defaultBranchPrefix = "infinite/";
const slugWords = 6;

export function slugify(task: string, issue?: number): string {
  const words = task
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean)
    .slice(0, slugWords);
  const parts = [...(issue === undefined ? [] : ["issue", String(issue)]), ...words];
  return parts.join("-").slice(0, 60).replace(/-+$/, "") || "session";
}

export function sessionIdFor(date: Date, task: string, issue?: number): string {
  return `${date.toISOString().slice(0, 10)}-${slugify(task, issue)}`;
}

/** A prefix must make a valid ref together with an id; refuse ones git would reject. */
export function checkBranchPrefix(prefix: string): string {
  if (prefix === "" || /[\s~^:?*[\\]|\.\.|\/\/|^\/|@\{/.test(prefix) || prefix.endsWith(".lock")) {
    throw new SessionError("invalid-argument", `The branch prefix ${JSON.stringify(prefix)} is not usable in a git branch name.`);
  }
  return prefix;
}

export function isValidSessionId(id: string): boolean {
  return /^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+$/.test(id) && !id.includes("--") && !id.endsWith("-");
}

/** The refs a session owns besides its branch. */
export const sessionRefs = {
  trace: (id: string) => `refs/infinite/traces/${id}`,
  backupsPrefix: (id: string) => `refs/infinite/backups/${id}/`,
  backup: (id: string, label: string) => `refs/infinite/backups/${id}/${label}`,
};
