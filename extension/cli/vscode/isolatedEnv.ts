// A throwaway home for one headless VS Code run: its own HOME, XDG folders, TMPDIR, user data and settings,
// so that runs never read or write the developer's own configuration.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface IsolatedEnv {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  env: NodeJS.ProcessEnv;
}

const quietSettings = {
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "npm.fetchOnlinePackageInfo": false,
  "typescript.disableAutomaticTypeAcquisition": true,
  "security.workspace.trust.enabled": false,
  "git.openRepositoryInParentFolders": "never",
};

export function createIsolatedEnv(label: string, extraSettings: Record<string, unknown> = {}): IsolatedEnv {
  const root = mkdtempSync(join(tmpdir(), `itu-${label}-`));
  const dirs = { home: "home", config: "config", data: "data", cache: "cache", tmp: "tmp", userData: "user-data", extensions: "extensions" };
  for (const d of Object.values(dirs)) mkdirSync(join(root, d), { recursive: true });
  const userDataDir = join(root, dirs.userData);
  mkdirSync(join(userDataDir, "User"), { recursive: true });
  writeFileSync(join(userDataDir, "User/settings.json"), JSON.stringify({ ...quietSettings, ...extraSettings }, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: join(root, dirs.home),
    XDG_CONFIG_HOME: join(root, dirs.config),
    XDG_DATA_HOME: join(root, dirs.data),
    XDG_CACHE_HOME: join(root, dirs.cache),
    TMPDIR: join(root, dirs.tmp),
    EXTENSIONS_GALLERY: "{}",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Test User",
    GIT_AUTHOR_EMAIL: "test@example.invalid",
    GIT_COMMITTER_NAME: "Test User",
    GIT_COMMITTER_EMAIL: "test@example.invalid",
  };
  return { root, userDataDir, extensionsDir: join(root, dirs.extensions), env };
}
