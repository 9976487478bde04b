// Runs one command to completion for run_task: output kept as head and tail, and a timeout or a
// cancellation kills the whole process group (a shell's children included), not just the shell.
import { spawn } from "node:child_process";
import { HeadTailBuffer } from "./output";

export interface ProcessSpec {
  /** A shell command line, or a program with its arguments. */
  readonly command: string;
  readonly args?: readonly string[];
  readonly shell: boolean;
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface ProcessOutcome {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly output: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Every chunk of output as it arrives (for a terminal that shows the run). */
  readonly onOutput?: (text: string) => void;
}

export function runProcess(spec: ProcessSpec, options: RunOptions): Promise<ProcessOutcome> {
  const started = Date.now();
  const output = new HeadTailBuffer();
  return new Promise((resolve) => {
    const child = spawn(spec.command, [...(spec.args ?? [])], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      shell: spec.shell,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timedOut = false;
    let cancelled = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      killGroup();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const onData = (data: Buffer) => {
      const text = data.toString("utf8");
      output.push(text);
      options.onOutput?.(text);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    const finish = (exitCode: number | null, signal: string | null) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve({ exitCode, signal, timedOut, cancelled, output: output.text(), ms: Date.now() - started });
    };
    child.on("error", (error) => {
      output.push(`\n${error.message}\n`);
      finish(null, null);
    });
    child.on("close", (code, signal) => finish(code, signal));
  });
}
