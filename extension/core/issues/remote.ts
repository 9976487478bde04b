// Which GitHub repository a git remote points at: https, ssh (scp-like and ssh://), git://, with or
// without credentials, `.git` or a trailing slash, on github.com or a GitHub Enterprise host.
export interface GitHubRepoRef {
  readonly host: string;
  readonly owner: string;
  readonly repo: string;
}

const scpLike = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/;

export function parseGitHubRemote(remoteUrl: string): GitHubRepoRef | undefined {
  const url = remoteUrl.trim();
  const located = locate(url);
  if (!located) return undefined;
  const segments = located.path.replace(/\/+$/, "").replace(/\.git$/, "").split("/").filter(Boolean);
  if (segments.length !== 2) return undefined;
  const [owner, repo] = segments as [string, string];
  if (!/^[A-Za-z0-9-_.]+$/.test(owner) || !/^[A-Za-z0-9-_.]+$/.test(repo)) return undefined;
  return { host: located.host.toLowerCase(), owner, repo };
}

function locate(url: string): { host: string; path: string } | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      if (!["https:", "http:", "ssh:", "git:", "git+ssh:", "ssh+git:"].includes(parsed.protocol)) return undefined;
      return { host: parsed.hostname, path: decodeURIComponent(parsed.pathname) };
    } catch {
      return undefined;
    }
  }
  const match = scpLike.exec(url);
  return match ? { host: match[1]!, path: match[2]! } : undefined;
}

export const publicGitHubApi = "https://api.github.com";

/**
 * The REST API base to use. The setting wins when the user changed it; with the default setting, a
 * remote on a GitHub Enterprise host uses that host's documented API path (`/api/v3`).
 */
export function apiBaseFor(ref: GitHubRepoRef, setting: string | undefined): string {
  const configured = (setting ?? "").trim().replace(/\/+$/, "");
  if (configured && configured !== publicGitHubApi) return configured;
  if (ref.host === "github.com" || ref.host === "www.github.com" || ref.host.startsWith("github.com-")) return publicGitHubApi;
  return `https://${ref.host}/api/v3`;
}
