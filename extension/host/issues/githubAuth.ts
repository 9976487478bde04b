// A GitHub token from VS Code's own GitHub sign-in. Silent by default: Solve Issue works anonymously
// for public repositories and only asks the user to sign in when GitHub refuses.
import * as vscode from "vscode";
import { log } from "../log";
import { errorMessage } from "../../core/errorMessage";

const scopes = ["repo"];
/** Where no GitHub authentication provider is installed, getSession waits for one to appear. */
const silentLookupMs = 3_000;

export async function githubToken(options: { signIn: boolean }): Promise<string | undefined> {
  try {
    if (options.signIn) return (await vscode.authentication.getSession("github", scopes, { createIfNone: true })).accessToken;
    const session = await Promise.race([
      vscode.authentication.getSession("github", scopes, { silent: true }),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), silentLookupMs)),
    ]);
    return session?.accessToken;
  } catch (error) {
    // No provider (e.g. a web build without GitHub authentication) or a declined sign-in: go anonymous.
    log().info(`GitHub sign-in unavailable, reading issues anonymously: ${errorMessage(error)}`);
    return undefined;
  }
}
