// Test helper: a real llama-server (built by test/harness/buildLlamaServer.sh into .cache/llama-server)
// on a free port with a tiny model, as the server engine's tests and the benchmark use it.
// Flags from shared/notes/llama-recurrent.md: one thread on this 2-core machine, and no context
// shift (it would silently corrupt recurrent state).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";

export function llamaServerBinary(repoRoot: string): string {
  return process.env.ITU_LLAMA_SERVER ?? join(repoRoot, ".cache", "llama-server", "llama-server");
}

/** Why the server tests cannot run here, or undefined when they can. Under CI=true, a missing binary is a failure. */
export function llamaServerMissing(repoRoot: string): string | undefined {
  const binary = llamaServerBinary(repoRoot);
  if (existsSync(binary)) return undefined;
  const why = `llama-server is not built at ${binary} (run test/harness/buildLlamaServer.sh)`;
  if (process.env.CI === "true") throw new Error(why);
  return why;
}

export interface RunningLlamaServer {
  readonly url: string;
  readonly port: number;
  readonly slotDir: string;
  readonly process: ChildProcess;
  /** SIGKILL, as when the machine's server dies; resolves once it has exited. */
  kill(): Promise<void>;
}

export interface LlamaServerOptions {
  readonly model: string;
  readonly slots?: number;
  /** Context per slot. */
  readonly slotContext?: number;
  /** 0: any free port. Give the old one to bring a killed server back at the same URL. */
  readonly port?: number;
  readonly slotDir?: string;
  readonly extraArgs?: readonly string[];
}

export async function startLlamaServer(repoRoot: string, options: LlamaServerOptions): Promise<RunningLlamaServer> {
  const slots = options.slots ?? 4;
  const slotDir = options.slotDir ?? mkdtempSync(join(tmpdir(), "itu-slots-"));
  const args = [
    "-m", options.model, "--host", "127.0.0.1", "--port", String(options.port ?? 0),
    "-np", String(slots), "-c", String(slots * (options.slotContext ?? 8192)),
    "-t", "1", "-tb", "1", "--no-context-shift", "--slot-save-path", slotDir,
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(llamaServerBinary(repoRoot), args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`llama-server did not start within 60 s:\n${output.slice(-2000)}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/[\d.]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`llama-server exited (${code}) before listening:\n${output.slice(-2000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    slotDir,
    process: child,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A port nothing listens on (it was free a moment ago): the address of an unreachable server. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });
}
