// `probe`: does this model file work? Loads it, runs tool-call turns on the fixture task under the
// grammar of its tool-call format, and reports each turn and a summary.
import { formatTokens, refusedTokens, turnReservation, windowTooSmallMessage, type ModelWindow } from "../core/agent/window";
import { errorMessage } from "../core/errorMessage";
import { chooseFormat, createAdapter, isParseError, type GrammarLimits } from "../core/prompt";
import { callProblems } from "../core/tools/validate";
import { toolDefinitions } from "../core/tools/definitions";
import type { Observation, ToolCall } from "../core/tools/types";
import type { ProbeOptions } from "./args";
import { FIXTURE_TASK, fixtureObservation } from "./fixtureTask";
import { DirectSession } from "./llamaSession";
import { checkModelFile, type CheckedModelFile } from "./modelFile";

export const EXIT_OK = 0;
export const EXIT_INVALID_TURNS = 1;
export const EXIT_USAGE = 2;
export const EXIT_MODEL_REFUSED = 3;

// Bounds that keep an untrained model's turn finite. Worst case at 4 bytes (tokens) per character:
// strings 3 x 64, body 8 x 80, thinking 4 x 80 characters: about 4,600 tokens, under the default
// --max-tokens, so a turn can only be cut short when the user lowers it.
const PROBE_LIMITS: GrammarLimits = { maxStringChars: 64, maxBodyLines: 8, maxBodyLineChars: 80, maxThinkingLines: 4 };

export interface TurnReport {
  readonly turn: number;
  readonly raw: string;
  readonly call: { tool: string; args: ToolCall["args"]; body?: string } | null;
  readonly valid: boolean;
  readonly errors: readonly string[];
  readonly tokens: number;
  readonly ms: number;
}

type Print = (line: string) => void;

function trainedContext(model: CheckedModelFile): number | undefined {
  return (model.info.metadata as unknown as Record<string, { context_length?: number } | undefined>)[model.architecture]?.context_length;
}

function contextSizeFor(model: CheckedModelFile): number {
  return Math.min(trainedContext(model) ?? 8192, 1 << 15);
}

export async function runProbe(options: ProbeOptions, print: Print, printError: Print): Promise<number> {
  const model = await checkModelFile(options.modelPath);
  if ("error" in model) {
    printError(`probe: ${model.error}`);
    return EXIT_MODEL_REFUSED;
  }
  const choice = chooseFormat(
    { architecture: model.architecture, name: model.name, specialTokens: model.specialTokens, ...(model.chatTemplate ? { chatTemplate: model.chatTemplate } : {}) },
    options.format ?? "auto",
  );
  const adapter = createAdapter(choice.format, choice.options);
  for (const warning of choice.warnings) printError(`probe: ${warning}`);
  const promptSegments = [...adapter.preambleSegments(toolDefinitions), ...adapter.taskSegments(FIXTURE_TASK)];
  let session: DirectSession;
  try {
    session = await DirectSession.open(options.modelPath, adapter.grammar(toolDefinitions, PROBE_LIMITS), {
      contextSize: contextSizeFor(model),
      threads: options.threads,
      // A full window starts over from the prompt (its markers special tokens again): each probe turn stands on its own.
      onWindowFull: () => [promptSegments],
    });
  } catch (e) {
    printError(`probe: llama.cpp could not load ${options.modelPath}: ${errorMessage(e)}`);
    return EXIT_MODEL_REFUSED;
  }
  if (!options.json) print(`${model.architecture} model, ${choice.format} format (${choice.reason}), ${adapter.framing} framing, ${options.threads} thread(s)`);
  const window: ModelWindow = {
    capacity: session.capacity,
    remedy: (minimum) => `choose a model trained on a window of at least ${formatTokens(minimum + 2)} tokens (this one has ${formatTokens(trainedContext(model) ?? window.capacity + 2)})`,
  };
  try {
    const started = performance.now();
    let promptTokens: number;
    try {
      promptTokens = await session.appendSegments(promptSegments);
    } catch (e) {
      const refused = refusedTokens(e);
      if (refused === undefined) throw e;
      printError(`probe: ${windowTooSmallMessage(window, refused)}`);
      return EXIT_MODEL_REFUSED;
    }
    const maxTokens = turnReservation(window.capacity, promptTokens, options.maxTokens);
    if (maxTokens === undefined) {
      printError(`probe: ${windowTooSmallMessage(window, promptTokens)}`);
      return EXIT_MODEL_REFUSED;
    }
    const about = { architecture: model.architecture, format: choice.format, formatReason: choice.reason, framing: adapter.framing };
    return await runTurns(session, adapter, { ...options, maxTokens }, print, about, { promptTokens, promptMs: performance.now() - started });
  } finally {
    await session.dispose();
  }
}

async function runTurns(
  session: DirectSession,
  adapter: ReturnType<typeof createAdapter>,
  options: ProbeOptions,
  print: Print,
  about: Record<string, string>,
  prompt: { promptTokens: number; promptMs: number },
): Promise<number> {
  const reports: TurnReport[] = [];
  let markerTokens = 0;
  const markerIds = new Set(session.specialTokens().length ? markerIdsOf(session, adapter.markers) : []);
  for (let turn = 1; turn <= options.turns; turn++) {
    const result = await session.generate(adapter.turnPrefix, { maxTokens: options.maxTokens, temperature: options.temperature, seed: options.seed + turn });
    const report = judgeTurn(turn, result, adapter);
    reports.push(report);
    markerTokens += result.tokenIds.filter((t) => markerIds.has(t)).length;
    print(options.json ? JSON.stringify(report) : describeTurn(report));
    await session.appendSegments(adapter.observationSegments(observationFor(report), result.text));
  }
  const valid = reports.filter((r) => r.valid).length;
  const tokens = reports.reduce((n, r) => n + r.tokens, 0);
  const ms = reports.reduce((n, r) => n + r.ms, 0);
  const summary = {
    summary: true,
    model: options.modelPath,
    ...about,
    turns: reports.length,
    valid,
    invalid: reports.length - valid,
    tokens,
    ms: Math.round(ms),
    msPerToken: tokens ? Number((ms / tokens).toFixed(2)) : null,
    promptMs: Math.round(prompt.promptMs),
    promptTokens: prompt.promptTokens,
    window: session.capacity,
    maxTokensPerTurn: options.maxTokens,
    reprimes: session.reprimes,
    /** Markers of the format generated as their single special tokens. */
    markerTokens,
  };
  print(options.json ? JSON.stringify(summary) : `${valid}/${reports.length} turns were valid calls; ${tokens} tokens in ${summary.ms} ms${session.reprimes ? `; the window was re-primed ${session.reprimes} time(s)` : ""}`);
  return valid === reports.length ? EXIT_OK : EXIT_INVALID_TURNS;
}

function judgeTurn(turn: number, result: Awaited<ReturnType<DirectSession["generate"]>>, adapter: ReturnType<typeof createAdapter>): TurnReport {
  const base = { turn, raw: result.text, tokens: result.tokens, ms: Math.round(result.ms) };
  const parsed = adapter.parse(result.text, toolDefinitions);
  if (isParseError(parsed)) {
    const why = result.truncated ? `stopped at the turn's token limit (--max-tokens, lowered in a small window) before the call ended; ${parsed.error}` : parsed.error;
    return { ...base, call: null, valid: false, errors: [`at character ${parsed.offset}: ${why}`] };
  }
  const errors = callProblems(parsed, toolDefinitions);
  const call = { tool: parsed.tool, args: parsed.args, ...(parsed.body !== undefined ? { body: parsed.body } : {}) };
  return { ...base, call, valid: errors.length === 0, errors };
}

function observationFor(report: TurnReport): Observation {
  if (!report.valid || !report.call) return { ok: false, text: `That was not a valid tool call: ${report.errors.join("; ")}` };
  return fixtureObservation(report.call);
}

function describeTurn(r: TurnReport): string {
  const what = r.call ? `${r.call.tool} ${JSON.stringify(r.call.args)}${r.call.body !== undefined ? ` + body (${r.call.body.length} chars)` : ""}` : "(no call)";
  return `turn ${r.turn}: ${r.valid ? "valid" : "INVALID"} ${what}, ${r.tokens} tokens, ${r.ms} ms${r.errors.length ? `\n  ${r.errors.join("\n  ")}` : ""}`;
}

/** Token ids of the format's markers that the vocabulary holds as single special tokens. */
function markerIdsOf(session: DirectSession, markers: readonly string[]): number[] {
  const specials = new Set(session.specialTokens());
  return markers.filter((m) => specials.has(m)).map((m) => session.tokenize(m)[0]!).filter((t) => t !== undefined);
}
