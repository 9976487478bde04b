// Random hostile paths for the security property tests (unit and integration): pieces from a hostile
// alphabet (dots, separators, ~, %-escapes, NUL, every spelling of .git a file system folds, unicode
// look-alikes, URL schemes, drive letters, names of the fixtures' symlinks) joined at random.
import { seededRandom } from "./seededRandom";

/** Names of symlinks the fixtures create: to .git, to a nested .git, out of the workspace, inside it. */
export const fixtureLinks = ["link-to-git", "link-to-subgit", "escape", "inlink"] as const;

const pieces = [
  ".", "..", "...", "~", "~user", "%2e", "%2e%2e", "%2f", "%00", "\0", " ", ":", "::$DATA", "$INDEX_ALLOCATION",
  ".git", ".GIT", ".Git", ".git.", ".git ", ".git..", "git~1", "GIT~1", "git~2", ".gitmodules", "gi7eba~1", ".gitignore",
  ".g\u200Cit", "\uFEFF.git", ".\uFF47it", "\uFF0Egit", ".git\u200D", "\u2024git", ".gıt", ".GİT", "config", "HEAD", "hooks", "index",
  "file:", "file://", "vscode-remote:", "C:", "c:", "\\\\server", "a", "src", "src/a.ts", "new.txt", "sub", "deep/er",
  ...fixtureLinks,
];
const separators = ["/", "\\", "//", "/./", "\\\\", ""];

export function hostilePathGenerator(seed: number): () => string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return () => {
    const count = 1 + Math.floor(random() * 5);
    let path = random() < 0.1 ? pick(["/", "\\", "./"]) : "";
    for (let i = 0; i < count; i++) path += (i > 0 ? pick(separators) : "") + pick(pieces);
    return random() < 0.1 ? `${path}${pick(separators)}` : path;
  };
}

/** An oracle independent of extension/core/tools/paths.ts: names git, Windows or macOS treat as
 * `.git` or `.gitmodules`. */
export function namesGitData(component: string): boolean {
  const simple = component.normalize("NFKC").replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, "").toLowerCase().split(":")[0]!.replace(/[. ]+$/, "");
  return [".git", ".gi\u0307t", ".gıt", ".gitmodules"].includes(simple) || /^(git|gi7eba)~\d$/.test(simple);
}
