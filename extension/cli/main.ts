#!/usr/bin/env node
// The command-line entry (`infinite-tool-use`): subcommands that run without VS Code.
import { parseProbeArgs, PROBE_USAGE } from "./args";
import { EXIT_USAGE, runProbe } from "./probe";
import { parseRunArgs, RUN_USAGE } from "./run/runArgs";
import { runHeadless } from "./run/runCommand";
import { FROM_GIT_USAGE, parseFromGitArgs } from "./fromGit/fromGitArgs";
import { runFromGit } from "./fromGit/fromGitCommand";
import { EXPORT_USAGE, parseExportArgs, runExport } from "./export/exportCommand";
import { BATCH_USAGE, parseBatchArgs } from "./batch/batchArgs";
import { runBatchCommand } from "./batch/batchCommand";
import { errorMessage } from "../core/errorMessage";

const USAGE = `Usage: infinite-tool-use <command> [options]

Commands:
  probe <model.gguf>   check that a model runs and emits valid tool calls (probe --help for options)
  run <workspace>      run one session in a headless VS Code (run --help for options)
  batch <repo>         run one headless session per issue, N at a time (batch --help)
  export <repo>        write recorded sessions as training data (export --help)
  from-git <repo>      turn a range of git history into replayable tool-call sessions (from-git --help)`;

type Command = (argv: readonly string[]) => Promise<number>;

const print = (line: string) => process.stdout.write(`${line}\n`);
const printError = (line: string) => process.stderr.write(`${line}\n`);

type Parsed<O> = { options: O } | { error: string } | { help: true };

/** A subcommand: parse its arguments (help and usage errors handled alike), then run it. */
function command<O>(name: string, usage: string, parse: (argv: readonly string[]) => Parsed<O>, run: (options: O, out: typeof print, err: typeof print) => Promise<number>): Command {
  return async (argv) => {
    const parsed = parse(argv);
    if ("help" in parsed) {
      print(usage);
      return 0;
    }
    if ("error" in parsed) {
      printError(`${name}: ${parsed.error}\n\n${usage}`);
      return EXIT_USAGE;
    }
    return run(parsed.options, print, printError);
  };
}

const commands: Record<string, Command> = {
  run: command("run", RUN_USAGE, parseRunArgs, runHeadless),
  batch: command("batch", BATCH_USAGE, parseBatchArgs, runBatchCommand),
  probe: command("probe", PROBE_USAGE, parseProbeArgs, runProbe),
  export: command("export", EXPORT_USAGE, parseExportArgs, runExport),
  "from-git": command("from-git", FROM_GIT_USAGE, parseFromGitArgs, runFromGit),
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    print(USAGE);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = commands[name];
  if (!command) {
    printError(`unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // An unexpected failure: one clear line, not a stack dump (set ITU_DEBUG=1 for the stack).
    printError(`infinite-tool-use: ${errorMessage(error)}`);
    if (process.env.ITU_DEBUG && error instanceof Error) printError(error.stack ?? "");
    process.exitCode = 1;
  },
);
