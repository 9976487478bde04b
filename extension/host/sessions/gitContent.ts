// Read-only documents for diffs: `infinite-git:/<path>?<json {repo, rev}>` is the file at a commit,
// read through the session store's git gate. A file missing at that commit reads as empty.
import * as vscode from "vscode";
import type { GitGate } from "../../core/sessions/index";

export const gitContentScheme = "infinite-git";

interface GitContentQuery {
  readonly repo: string;
  readonly rev: string;
}

export function gitContentUri(repo: string, rev: string, path: string): vscode.Uri {
  const query: GitContentQuery = { repo, rev };
  return vscode.Uri.from({ scheme: gitContentScheme, path: `/${path}`, query: JSON.stringify(query) });
}

export class GitContentProvider implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly git: () => GitGate,
    /** Only the workspace's own repositories are read, whatever a crafted URI asks for. */
    private readonly isKnownRepository: (path: string) => Promise<boolean>,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = parseQuery(uri.query);
    if (!query || !(await this.isKnownRepository(query.repo))) return "";
    try {
      return await this.git().run(query.repo, ["show", `${query.rev}:${uri.path.slice(1)}`]);
    } catch {
      return "";
    }
  }
}

function parseQuery(text: string): GitContentQuery | undefined {
  try {
    const value = JSON.parse(text) as Partial<GitContentQuery>;
    return typeof value.repo === "string" && typeof value.rev === "string" && /^[0-9a-f]{40,64}$/.test(value.rev) ? { repo: value.repo, rev: value.rev } : undefined;
  } catch {
    return undefined;
  }
}
