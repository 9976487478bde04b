// Runs an extension's "tests" entry (extensionTestsPath) in VS Code served by code-server, driven by
// Debian's chromium through playwright-core. Used by the integration tests and by the headless `run`
// command. There is no browserless mode: the extension host only starts when a workbench connects,
// so a browser is part of every run.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { format } from "node:util";
import { chromium, type Browser, type ConsoleMessage, type Page } from "playwright-core";
import type { IsolatedEnv } from "./isolatedEnv";
import { errorMessage } from "../../core/errorMessage";

export interface LaunchOptions {
  /** code-server's out/node/entry.js. */
  codeServerEntry: string;
  /** The browser that hosts the workbench (Debian's chromium by default). */
  chromiumPath: string;
  isolated: IsolatedEnv;
  /** A folder, or a `.code-workspace` file (a multi-root workspace). */
  workspace: string;
  extensionPath: string;
  testsEntry: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Extra extension ids or VSIX files to install before starting (packaging check). */
  installExtensions?: string[];
  /** Lines forwarded from the extension host (mocha's report among them). */
  onOutput(line: string): void;
  /** Called with the page once the workbench is open (screenshots). */
  onPage?(page: Page): void;
  /** Keep Workspace Trust on (the user settings decide whether the folder is trusted); off by default. */
  workspaceTrust?: boolean;
}

export interface LaunchOutcome {
  /** What the workbench reported through codeAutomationExit; undefined when it never did. */
  exitCode: number | undefined;
  /** Why the run ended without a report (hang, crash). */
  problem?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function runCodeServerCli(codeServerEntry: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [codeServerEntry, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`code-server ${args.join(" ")} exited ${code}: ${output.slice(-2000)}`))));
  });
}

async function waitForHttp(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode} before it answered`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

/**
 * The workbench prints extension-host console output as `%c LEVEL`, a css string, then the original
 * console arguments (a printf-style format and its values). Rebuild the original line.
 */
async function extensionHostLine(message: ConsoleMessage): Promise<string | undefined> {
  const text = message.text();
  if (!/^%c\s*(INFO|WARN|ERR|ERROR|DEBUG|LOG)\b/.test(text)) return undefined;
  const args = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => "")));
  return format(...(args.slice(2) as unknown[]));
}

// The workbench's own chatter arrives the same way; it hides the tests' report unless ITU_VERBOSE is set.
const workbenchNoise =
  /^(Resolved connection token|Creating a socket|Ignoring fetching additional|\[Service Worker\]|ChatSessionStore|Updating additional builtin|Started local extension host|Loading development extension|Extension host agent|\[\w+\]\s*$)/;

export async function runInCodeServer(options: LaunchOptions): Promise<LaunchOutcome> {
  const { isolated } = options;
  const env: NodeJS.ProcessEnv = { ...isolated.env, ...options.env };
  const common = ["--user-data-dir", isolated.userDataDir, "--extensions-dir", isolated.extensionsDir];
  for (const ext of options.installExtensions ?? []) await runCodeServerCli(options.codeServerEntry, [...common, "--install-extension", ext], env);

  const port = await freePort();
  const serverLog: string[] = [];
  const server = spawn(
    process.execPath,
    [
      options.codeServerEntry, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, ...common,
      "--disable-telemetry", "--disable-update-check", ...(options.workspaceTrust ? [] : ["--disable-workspace-trust"]), "--disable-getting-started-override",
      "--disable-proxy", "--ignore-last-opened", "--locale", "en", options.workspace,
    ],
    { env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let crash: string | undefined;
  const watchServer = (data: Buffer) => {
    for (const line of data.toString().split("\n")) {
      if (!line.trim()) continue;
      serverLog.push(line);
      if (serverLog.length > 200) serverLog.shift();
      if (/Extension Host Process exited with code: (?!0\b)|exited with code: null, signal/.test(line)) crash = line.trim();
    }
  };
  server.stdout?.on("data", watchServer);
  server.stderr?.on("data", watchServer);

  let browser: Browser | undefined;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`, server, 30_000);
    browser = await chromium.launch({
      executablePath: options.chromiumPath,
      headless: true,
      env,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--disable-quic"],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let reported: (code: number) => void = () => {};
    const exitReported = new Promise<number>((resolve) => (reported = resolve));
    await page.exposeFunction("codeAutomationExit", (code: number) => reported(code));
    // Keep the extension host's lines in order although rebuilding each one is asynchronous.
    let printed = Promise.resolve();
    page.on("console", (message) => {
      const line = extensionHostLine(message);
      printed = printed.then(async () => {
        const text = await line;
        if (text !== undefined && (process.env.ITU_VERBOSE || !workbenchNoise.test(text))) options.onOutput(text);
      });
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([
      ["extensionDevelopmentPath", remote(options.extensionPath)],
      ["extensionTestsPath", remote(options.testsEntry)],
    ]);
    const open = options.workspace.endsWith(".code-workspace") ? "workspace" : "folder";
    await page.goto(`${base}/?${open}=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(payload)}`);
    options.onPage?.(page);

    // One watcher for both ways a run can end without a report; cleared so that nothing keeps the
    // caller's process alive afterwards.
    let watcher: NodeJS.Timeout | undefined;
    const deadline = Date.now() + options.timeoutMs;
    const outcome = await Promise.race<LaunchOutcome>([
      // A crashing extension host also makes the workbench report (exit 0); give the server's log
      // line a moment to arrive so that the crash is named as such.
      exitReported.then(async (exitCode) => {
        await new Promise((r) => setTimeout(r, 1000));
        return { exitCode };
      }),
      new Promise<LaunchOutcome>((resolve) => {
        watcher = setInterval(() => {
          if (crash) resolve({ exitCode: undefined, problem: `extension host crashed: ${crash}` });
          // The server itself gone (killed, crashed): no report can come, so do not wait for the deadline.
          else if (server.exitCode !== null || server.signalCode !== null) resolve({ exitCode: undefined, problem: `code-server exited (${server.signalCode ?? `code ${server.exitCode}`}) before the run reported` });
          else if (Date.now() > deadline) resolve({ exitCode: undefined, problem: `no result within ${options.timeoutMs} ms (hang)` });
        }, 250);
      }),
    ]);
    clearInterval(watcher);
    if (crash && !outcome.problem) outcome.problem = `extension host crashed: ${crash}`;
    return outcome;
  } catch (error) {
    return { exitCode: undefined, problem: `${errorMessage(error)}\n${serverLog.slice(-20).join("\n")}` };
  } finally {
    // The server's whole process group first (extension host, model host): the editor ends at once,
    // with no graceful shutdown of the extensions, as when it dies. Then the browser.
    killGroup(server);
    await browser?.close().catch(() => undefined);
  }
}
