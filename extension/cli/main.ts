#!/usr/bin/env node
// The command-line entry (`infinite-tool-use`): subcommands that run without VS Code.
import { parseProbeArgs, PROBE_USAGE } from "./args";
import { EXIT_USAGE, runProbe } from "./probe";
import { parseRunArgs, RUN_USAGE } from "./run/runArgs";
import { runHeadless } from "./run/runCommand";

const USAGE = `Usage: infinite-tool-use <command> [options]

Commands:
  probe <model.gguf>   check that a model runs and emits valid tool calls (probe --help for options)
  run <workspace>      run one session in a headless VS Code (run --help for options)`;

type Command = (argv: readonly string[]) => Promise<number>;

const print = (line: string) => process.stdout.write(`${line}\n`);
const printError = (line: string) => process.stderr.write(`${line}\n`);

const commands: Record<string, Command> = {
  async run(argv) {
    const parsed = parseRunArgs(argv);
    if ("help" in parsed) {
      print(RUN_USAGE);
      return 0;
    }
    if ("error" in parsed) {
      printError(`run: ${parsed.error}\n\n${RUN_USAGE}`);
      return EXIT_USAGE;
    }
    return runHeadless(parsed.options, print, printError);
  },
  async probe(argv) {
    const parsed = parseProbeArgs(argv);
    if ("help" in parsed) {
      print(PROBE_USAGE);
      return 0;
    }
    if ("error" in parsed) {
      printError(`probe: ${parsed.error}\n\n${PROBE_USAGE}`);
      return EXIT_USAGE;
    }
    return runProbe(parsed.options, print, printError);
  },
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
    printError(`infinite-tool-use: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.ITU_DEBUG && error instanceof Error) printError(error.stack ?? "");
    process.exitCode = 1;
  },
);
