// Command-line arguments of `probe`, parsed with node's own parseArgs.
import { availableParallelism } from "node:os";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { errorMessage } from "../core/errorMessage";
import { TOOL_CALL_FORMATS, type ToolCallFormat } from "../core/prompt";

export interface ProbeOptions {
  readonly modelPath: string;
  readonly turns: number;
  readonly json: boolean;
  readonly threads: number;
  readonly format?: ToolCallFormat;
  readonly seed: number;
  readonly temperature: number;
  readonly maxTokens: number;
}

export const PROBE_USAGE = `Usage: infinite-tool-use probe <model.gguf> [options]

Loads a GGUF model and runs tool-call turns on a built-in task, every turn generated under the
tool-call grammar, and reports whether each output parsed into a valid call.

Options:
  --turns N          turns to run (default 5)
  --json             one JSON object per turn ({turn, raw, call, valid, errors, tokens, ms}), then a summary object
  --threads N        CPU threads (default: half the cores, at least 1; more is slower on small machines)
  --format F         tool-call format: plain, hermes or rwkv (default: picked from the model's metadata)
  --seed N           sampling seed (default 1)
  --temperature T    sampling temperature, 0 is greedy (default 0.2)
  --max-tokens N     most tokens per turn (default 8192)
  -h, --help         show this help

Exit status: 0 every turn was a valid call; 1 some turn was not; 2 bad usage; 3 the model file was refused.`;

export type ParsedProbeArgs = { options: ProbeOptions } | { help: true } | { error: string };

/** A numeric option's value, or the one-line error that says what it needs. */
export function positiveInteger(name: string, text: string | undefined, fallback: number, min = 1): number | string {
  if (text === undefined) return fallback;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= min ? value : `--${name} needs an integer of at least ${min}, got "${text}"`;
}

/** A subcommand's arguments (strict, with positionals), or the parser's complaint as one line. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

export function parseProbeArgs(argv: readonly string[]): ParsedProbeArgs {
  const parsed = parseCommandLine(argv, {
    turns: { type: "string" },
    json: { type: "boolean" },
    threads: { type: "string" },
    format: { type: "string" },
    seed: { type: "string" },
    temperature: { type: "string" },
    "max-tokens": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if ("error" in parsed) return parsed;
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1) return { error: positionals.length === 0 ? "probe needs a model file" : "probe takes one model file" };
  const format = values.format;
  if (format !== undefined && !(TOOL_CALL_FORMATS as readonly string[]).includes(format)) {
    return { error: `--format must be one of ${TOOL_CALL_FORMATS.join(", ")}, got "${format}"` };
  }
  const turns = positiveInteger("turns", values.turns, 5);
  const threads = positiveInteger("threads", values.threads, Math.max(1, Math.floor(availableParallelism() / 2)));
  const seed = positiveInteger("seed", values.seed, 1, 0);
  const maxTokens = positiveInteger("max-tokens", values["max-tokens"], 8192);
  const temperature = values.temperature === undefined ? 0.2 : Number(values.temperature);
  for (const v of [turns, threads, seed, maxTokens]) if (typeof v === "string") return { error: v };
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) return { error: `--temperature must be between 0 and 2, got "${values.temperature}"` };
  return {
    options: {
      modelPath: positionals[0]!,
      turns: turns as number,
      json: values.json ?? false,
      threads: threads as number,
      ...(format !== undefined ? { format: format as ToolCallFormat } : {}),
      seed: seed as number,
      temperature,
      maxTokens: maxTokens as number,
    },
  };
}
