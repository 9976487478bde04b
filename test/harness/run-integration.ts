// The integration launcher. Each folder under test/integration/ is a group: one VS Code launch on a
// fresh copy of test/fixtures/<group>/ (or an empty folder). Usage:
//   node dist-test/harness/run-integration.js [group ...]
// Environment: ITU_VSCODE=desktop uses @vscode/test-electron (downloads VS Code) instead of the
// offline code-server route; ITU_TEST_GREP filters tests; ITU_GROUP_TIMEOUT_MS bounds one launch.
// A group whose tests sit in numbered part folders (`resume-restart/1/`, `resume-restart/2/`) is
// launched once per part, in order, on the same workspace and profile: the whole editor (code-server,
// its extension host and their children) is killed between parts, as when a user's editor dies.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { IntegrationResult } from "../integration/index";
import { runInCodeServer, type LaunchOptions, type LaunchOutcome } from "../../extension/cli/vscode/codeServer";
import { errorMessage } from "../../extension/core/errorMessage";
import { runInDesktopVsCode } from "./electron-launcher";
import { createIsolatedEnv } from "../../extension/cli/vscode/isolatedEnv";
import { serveBrowserRequests } from "./browserRequests";
import { chromiumPath, codeServerEntry, fixturesDir, integrationOut, repoRoot } from "./paths";

interface GroupOutcome extends IntegrationResult {
  group: string;
  problem?: string;
  seconds: number;
}

const hasTests = (dir: string): boolean => readdirSync(dir).some((f) => f.endsWith(".test.js"));

/** The folders launched for a group, in order: its numbered parts, or the group folder itself. */
function groupParts(group: string): string[] {
  const dir = join(integrationOut, group);
  const parts = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d+$/.test(d.name) && hasTests(join(dir, d.name)))
    .map((d) => d.name)
    .sort((a, b) => Number(a) - Number(b));
  return parts.length > 0 ? parts.map((p) => join(dir, p)) : [dir];
}

function groups(requested: string[]): string[] {
  const all = readdirSync(integrationOut, { withFileTypes: true })
    .filter((d) => d.isDirectory() && groupParts(d.name).some(hasTests))
    .map((d) => d.name)
    .filter((g) => requested.length > 0 || g !== "selftest");
  if (requested.length === 0) return all;
  const unknown = requested.filter((g) => !all.includes(g) && !existsSync(join(integrationOut, g)));
  if (unknown.length) throw new Error(`unknown integration group(s): ${unknown.join(", ")} (have: ${all.join(", ")})`);
  return requested;
}

function packageVsix(): string {
  const vsix = join(repoRoot, "dist/infinite-tool-use-packaging-test.vsix");
  execFileSync(process.execPath, ["package.mjs", "--out", vsix], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
  return vsix;
}

const timesFile = join(repoRoot, ".cache/integration-times.json");

function readLastTimes(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(timesFile, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

function writeLastTimes(times: Record<string, number>): void {
  mkdirSync(dirname(timesFile), { recursive: true });
  writeFileSync(timesFile, JSON.stringify(times, null, 2));
}

const RESTRICTED_MODE_SETTINGS = {
  "security.workspace.trust.enabled": true,
  "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.banner": "never",
};

async function runGroup(group: string): Promise<GroupOutcome> {
  const started = Date.now();
  // The "restricted" group opens its folder untrusted (Restricted Mode) without the trust prompt.
  const restricted = group === "restricted";
  const isolated = createIsolatedEnv(group, restricted ? RESTRICTED_MODE_SETTINGS : {});
  const workspace = join(isolated.root, "workspace");
  // A group named `<name>-<part>` shares the fixture of `<name>` unless it has its own.
  const fixture = [group, group.split("-")[0]].map((name) => join(fixturesDir, name)).find((dir) => existsSync(dir)) ?? join(fixturesDir, group);
  if (existsSync(fixture)) cpSync(fixture, workspace, { recursive: true, verbatimSymlinks: true });
  else mkdirSync(workspace);
  const parts = groupParts(group);
  const resultFile = (part: number) => join(isolated.root, `result-${part}.json`);
  const options: LaunchOptions = {
    codeServerEntry,
    chromiumPath,
    isolated,
    // A fixture with a <group>.code-workspace file opens as that multi-root workspace.
    workspace: existsSync(join(workspace, `${group}.code-workspace`)) ? join(workspace, `${group}.code-workspace`) : workspace,
    extensionPath: repoRoot,
    testsEntry: join(integrationOut, "index.js"),
    env: {
      ITU_SUITE_DIR: parts[0],
      ITU_RESULT_FILE: resultFile(0),
      ITU_WORKSPACE: workspace,
      ITU_REPO_ROOT: repoRoot,
      ITU_RUN_DIR: isolated.root,
    },
    timeoutMs: Number(process.env.ITU_GROUP_TIMEOUT_MS ?? 300_000),
    // Groups may run side by side: each one's report is printed whole when it ends.
    onOutput: (line) => report.push(`  ${line}`),
    onPage: (page) => serveBrowserRequests(page, isolated.root),
    workspaceTrust: restricted,
  };
  if (group === "packaging") {
    // Test the shipped artifact: install the VSIX and develop an empty probe extension instead.
    options.installExtensions = [packageVsix()];
    options.extensionPath = join(repoRoot, "test/harness/probe-extension");
  }
  const report = [`\n▶ integration group "${group}" (${process.env.ITU_VSCODE === "desktop" ? "desktop VS Code" : "code-server"})`];
  const result: GroupOutcome = { group, passed: 0, failed: 0, pending: 0, failures: [], seconds: 0 };
  for (const [index, suiteDir] of parts.entries()) {
    const file = resultFile(index);
    const partName = parts.length > 1 ? ` (part ${index + 1} of ${parts.length})` : "";
    if (index > 0) report.push(`  ── the editor was killed; launching part ${index + 1} on the same workspace ──`);
    const launch = { ...options, env: { ...options.env, ITU_SUITE_DIR: suiteDir, ITU_RESULT_FILE: file, ITU_PART: String(index + 1) } };
    const outcome: LaunchOutcome = process.env.ITU_VSCODE === "desktop" ? await runInDesktopVsCode(launch) : await runInCodeServer(launch);
    if (existsSync(file)) {
      const part = JSON.parse(readFileSync(file, "utf8")) as IntegrationResult;
      result.passed += part.passed;
      result.failed += part.failed;
      result.pending += part.pending;
      result.failures.push(...part.failures);
    }
    if (outcome.problem) result.problem = `${outcome.problem}${partName}`;
    else if (!existsSync(file)) result.problem = `the tests never completed${partName} (workbench exit code ${outcome.exitCode}); the extension host may have crashed`;
    else if (outcome.exitCode !== 0 && result.failed === 0) result.problem = `the workbench reported exit code ${outcome.exitCode}${partName}`;
    // A later part builds on what the earlier ones left: after a failure it would only fail confusingly.
    if (result.problem || result.failed > 0) break;
  }
  result.seconds = (Date.now() - started) / 1000;
  console.log(report.join("\n"));
  if (!process.env.ITU_KEEP_RUN_DIR) rmSync(isolated.root, { recursive: true, force: true, maxRetries: 3 });
  return result;
}

async function main(): Promise<number> {
  if (process.env.ITU_VSCODE !== "desktop" && !existsSync(codeServerEntry)) {
    console.error("code-server is not installed: run `npm run setup` (test/harness/setup.sh) first.");
    return 2;
  }
  // Groups are independent launches (own port, profile and workspace), so three run at once: most
  // of a launch is waiting on the workbench and the language servers, not CPU (measured on 2 cores:
  // 120 s with three at a time, 147 s with two). The packaging check
  // runs last and alone (it builds the VSIX). ITU_PARALLEL=1 runs them one by one.
  const names = groups(process.argv.slice(2));
  const parallel = Math.max(1, Number(process.env.ITU_PARALLEL ?? 3));
  // Longest groups first (by the last run's times, kept in .cache), so that no long group starts last.
  const lastTimes = readLastTimes();
  const queue = names.filter((g) => g !== "packaging").sort((a, b) => (lastTimes[b] ?? 0) - (lastTimes[a] ?? 0));
  const outcomes: GroupOutcome[] = [];
  const runOne = async (group: string) => {
    const started = Date.now();
    // One group's set-up failing (packaging, a fixture) must not hide the other groups' results.
    outcomes.push(
      await runGroup(group).catch((error: unknown) => ({
        group, passed: 0, failed: 0, pending: 0, failures: [], seconds: (Date.now() - started) / 1000,
        problem: `set-up failed: ${errorMessage(error).split("\n")[0]}`,
      })),
    );
  };
  await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, async () => {
    for (let group = queue.shift(); group !== undefined; group = queue.shift()) await runOne(group);
  }));
  if (names.includes("packaging")) await runOne("packaging");
  outcomes.sort((a, b) => names.indexOf(a.group) - names.indexOf(b.group));
  writeLastTimes({ ...lastTimes, ...Object.fromEntries(outcomes.map((o) => [o.group, o.seconds])) });
  console.log("\nintegration groups:");
  for (const o of outcomes) {
    console.log(`  ${o.problem || o.failed ? "✗" : "✓"} ${o.group}: ${o.passed} passed, ${o.failed} failed, ${o.pending} pending (${o.seconds.toFixed(1)} s)${o.problem ? ` — ${o.problem}` : ""}`);
    for (const f of o.failures) console.log(`      ✗ ${f}`);
  }
  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  // A group that crashed or hung counts as one failure, whatever it had reported.
  const failed = outcomes.reduce((n, o) => n + o.failed + (o.problem && o.failed === 0 ? 1 : 0), 0);
  console.log(`integration: ${passed} passed, ${failed} failed`);
  return failed > 0 || outcomes.length === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
