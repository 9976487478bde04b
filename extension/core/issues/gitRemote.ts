// Which GitHub repository a workspace belongs to, from its git remotes. One read-only git command
// (`git remote -v`); nothing here writes to the repository.
import { simpleGit } from "simple-git";
import { parseGitHubRemote, type GitHubRepoRef } from "./remote";
import { errorMessage } from "../errorMessage";

export class NoGitHubRemoteError extends Error {
  override readonly name = "NoGitHubRemoteError";
}

/** Prefers `origin`, then `upstream`, then any other remote that names a GitHub owner/repo. */
export async function findGitHubRemote(folder: string): Promise<GitHubRepoRef & { remote: string }> {
  const git = simpleGit({ baseDir: folder, maxConcurrentProcesses: 1 });
  let remotes: Array<{ name: string; refs: { fetch: string } }>;
  try {
    if (!(await git.checkIsRepo())) throw new NoGitHubRemoteError(`${folder} is not a git repository, so it has no GitHub remote to take issues from.`);
    remotes = await git.getRemotes(true);
  } catch (error) {
    if (error instanceof NoGitHubRemoteError) throw error;
    throw new NoGitHubRemoteError(`Could not read the git remotes of ${folder}: ${errorMessage(error)}`);
  }
  const ranked = [...remotes].sort((a, b) => rank(a.name) - rank(b.name));
  for (const remote of ranked) {
    const ref = parseGitHubRemote(remote.refs.fetch);
    if (ref) return { ...ref, remote: remote.name };
  }
  const found = remotes.length ? `its remotes (${remotes.map((r) => `${r.name}: ${r.refs.fetch}`).join(", ")}) name no owner/repo` : "it has no remotes";
  throw new NoGitHubRemoteError(`The repository at ${folder} has no GitHub remote: ${found}.`);
}

function rank(name: string): number {
  return name === "origin" ? 0 : name === "upstream" ? 1 : 2;
}
