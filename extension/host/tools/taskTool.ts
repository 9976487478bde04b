// run_task: a task the user defined (tasks.json or contributed by an extension), found by its
// label. VS Code's task API reports an exit code but not the output, so the task's own command is
// run through a CustomExecution: it still appears in the terminal panel under its own name (never
// focused), while the tool captures the output and kills the process group at the timeout.
import * as vscode from "vscode";
import { requireTool as definition } from "../../core/tools/definitions";
import { runProcess, type ProcessOutcome, type ProcessSpec } from "../../core/tools/processRunner";
import type { ToolImplementation } from "../../core/tools/registry";
import { failure } from "../../core/tools/registry";
import type { Observation } from "../../core/tools/types";

export interface TaskEnvironment {
  readonly root: string;
  readonly timeoutMs: () => number;
}

export function taskTool(env: TaskEnvironment): ToolImplementation {
  return {
    definition: definition("run_task"),
    async run(call, ctx) {
      const name = String(call.args.name);
      const tasks = await vscode.tasks.fetchTasks();
      const task = tasks.find((t) => t.name === name);
      if (!task) {
        const names = [...new Set(tasks.map((t) => t.name))].slice(0, 30);
        return failure(`there is no task named ${JSON.stringify(name)}; the user's tasks are: ${names.length ? names.join(", ") : "(none defined)"}`);
      }
      const spec = processSpec(task, env.root);
      if (!spec) return failure(`task ${JSON.stringify(name)} is not a shell or process task, so its output cannot be captured`);
      const outcome = await runInTerminal(task, spec, env.timeoutMs(), ctx.signal);
      return describeOutcome(name, env.timeoutMs(), outcome);
    },
  };
}

function processSpec(task: vscode.Task, root: string): ProcessSpec | undefined {
  const execution = task.execution;
  // The task is the user's (defined in their workspace), but it runs where the tools act: in a
  // session that is the session's worktree, so ${workspaceFolder} and the working folder point there.
  const substitute = (s: string) => s.replace(/\$\{workspaceFolder\}/g, root).replace(/\$\{workspaceFolderBasename\}/g, root.split(/[\\/]/).pop() ?? "");
  const text = (v: string | vscode.ShellQuotedString) => substitute(typeof v === "string" ? v : v.value);
  if (execution instanceof vscode.ShellExecution) {
    const command = execution.commandLine ?? [execution.command ? text(execution.command) : "", ...(execution.args ?? []).map((a) => shellQuote(text(a)))].join(" ");
    return { command: substitute(command), shell: true, cwd: execution.options?.cwd ? substitute(execution.options.cwd) : root, env: stringEnv(execution.options?.env) };
  }
  if (execution instanceof vscode.ProcessExecution) {
    return { command: substitute(execution.process), args: execution.args.map(substitute), shell: false, cwd: execution.options?.cwd ? substitute(execution.options.cwd) : root, env: stringEnv(execution.options?.env) };
  }
  return undefined;
}

function shellQuote(arg: string): string {
  return /^[\w./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function stringEnv(env: Record<string, string> | undefined): Record<string, string> | undefined {
  return env ? Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) : undefined;
}

async function runInTerminal(original: vscode.Task, spec: ProcessSpec, timeoutMs: number, signal: AbortSignal): Promise<ProcessOutcome> {
  let started: Promise<ProcessOutcome> | undefined;
  const start = (onOutput?: (text: string) => void) => (started ??= runProcess(spec, { timeoutMs, signal, onOutput }));
  const opened = new Promise<void>((resolveOpened) => {
    const execution = new vscode.CustomExecution(async () => {
      const write = new vscode.EventEmitter<string>();
      const close = new vscode.EventEmitter<number>();
      return {
        onDidWrite: write.event,
        onDidClose: close.event,
        open() {
          resolveOpened();
          void start((t) => write.fire(t.replace(/\r?\n/g, "\r\n"))).then((o) => close.fire(o.exitCode ?? 1));
        },
        close() {
          // The user closed the terminal; the process keeps its timeout.
        },
      };
    });
    const task = new vscode.Task(original.definition, original.scope ?? vscode.TaskScope.Workspace, original.name, original.source, execution, []);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Never, focus: false, echo: true, panel: vscode.TaskPanelKind.Dedicated, clear: true };
    vscode.tasks.executeTask(task).then(undefined, () => resolveOpened());
  });
  // If the terminal cannot be opened (no terminal service, task system busy), run without it.
  await Promise.race([opened, new Promise((r) => setTimeout(r, terminalOpenGraceMs))]);
  return start();
}

const terminalOpenGraceMs = 5000;

function describeOutcome(name: string, timeoutMs: number, o: ProcessOutcome): Observation {
  const seconds = (o.ms / 1000).toFixed(1);
  const output = o.output.trim() === "" ? "(no output)" : o.output;
  if (o.timedOut) return { ok: false, text: `task ${JSON.stringify(name)} was killed after its ${timeoutMs / 1000} s timeout.\nOutput:\n${output}`, summary: `task ${name}: timed out` };
  if (o.cancelled) return { ok: false, text: `task ${JSON.stringify(name)} was cancelled after ${seconds} s.\nOutput:\n${output}`, summary: `task ${name}: cancelled` };
  const status = o.exitCode === null ? `ended by signal ${o.signal ?? "?"}` : `exit code ${o.exitCode}`;
  return { ok: o.exitCode === 0, text: `task ${JSON.stringify(name)}: ${status} after ${seconds} s.\nOutput:\n${output}`, summary: `task ${name}: ${status}` };
}
