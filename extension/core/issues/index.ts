// Where tasks come from: GitHub issues, local Markdown issue files, selected text.
export { environmentAdvice, GitHubClient, GitHubError, type GitHubIssue, type GitHubErrorKind, type GitHubClientOptions } from "./github";
export { findGitHubRemote, NoGitHubRemoteError } from "./gitRemote";
export { parseGitHubRemote, apiBaseFor, publicGitHubApi, type GitHubRepoRef } from "./remote";
export { parseMarkdownIssue, IssueFileError } from "./markdownIssue";
export { branchSlug, taskFromText, taskText, taskFromGitHubIssue, type Task, type TaskSource } from "./task";
