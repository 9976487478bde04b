// Where the harness finds things. Everything is relative to the repository root.
import { join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "../..");
export const codeServerVersion = "4.100.3";
export const codeServerEntry = join(repoRoot, ".cache/code-server/node_modules/code-server/out/node/entry.js");
export const integrationOut = join(repoRoot, "dist-test/integration");
export const fixturesDir = join(repoRoot, "test/fixtures");
export const chromiumPath = process.env.ITU_CHROMIUM ?? "/usr/bin/chromium";
