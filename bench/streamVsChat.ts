// Benchmark 4: a 300-step session on the append-only stream vs the same 300 steps done the way
// chat-based agents do it: every step a fresh sequence fed the whole transcript so far.
//
// Both arms see exactly the same tokens: the stream arm records the transcript it builds (preamble,
// task, then per step the turn prefix, the generated call and a canned observation), and the chat
// arm re-sends prefixes of that token list. Re-sending all 300 steps would take tens of minutes on
// 2 cores (the work grows with the square of the step count), so the chat arm measures every
// `sampleEvery`-th step and the total is extrapolated from a linear fit of its cost per step on the
// tokens it evaluates (which are known exactly for every step).
import { loadModel, type EngineModel, type EngineSession } from "../native/engine/index";
import { adapterFor, type GrammarLimits, type ProtocolAdapter } from "../extension/core/prompt";
import { toolDefinitions } from "../extension/core/tools/definitions";
import type { TinyArchitecture } from "../test/models/tinyModel";
import { openRangeWindow } from "./observations";
import { sum, timed, type Timing } from "./timing";

export interface StepCost {
  readonly step: number;
  /** Tokens the model evaluated in this step (prompt and generated). */
  readonly evaluatedTokens: number;
  readonly cpuMs: number;
  readonly wallMs: number;
}

export interface StreamVsChatRow {
  readonly arch: TinyArchitecture;
  readonly format: string;
  readonly steps: number;
  readonly sampleEvery: number;
  /** Tokens in the stream after the last step. */
  readonly finalTokens: number;
  readonly stream: { readonly setup: StepCost; readonly perStep: readonly StepCost[] };
  readonly chat: {
    readonly measured: readonly StepCost[];
    /** Linear fit of the measured steps: cpuMs = fixedMs + msPerToken * evaluatedTokens. */
    readonly fit: { readonly fixedMs: number; readonly msPerToken: number };
    /** Exact: the prompt of every step plus its generated tokens. */
    readonly evaluatedTokens: number;
    readonly estimatedCpuMs: number;
  };
  /** Sampled steps whose call came out identical in both arms (same state, greedy decoding). */
  readonly sameCalls: number;
  readonly tokenRatio: number;
  readonly timeRatio: number;
  /** Chat over stream on the measured steps only (no extrapolation). */
  readonly measuredStepRatio: number;
}

export interface StreamVsChatOptions {
  readonly steps?: number;
  readonly sampleEvery?: number;
  readonly maxTokens?: number;
}

const TASK = "The function `add` in src/math.ts returns the wrong result. Find the bug, fix it, run the tests, and finish with a summary.";
const LIMITS: GrammarLimits = { maxStringChars: 48, maxBodyLines: 6, maxBodyLineChars: 60 };

interface StreamRun {
  readonly transcript: number[];
  /** Transcript length at each step's generation (the prompt a chat agent would re-send). */
  readonly promptLengths: number[];
  readonly calls: number[][];
  readonly setup: StepCost;
  readonly perStep: StepCost[];
}

interface Turn {
  readonly model: EngineModel;
  readonly adapter: ProtocolAdapter;
  readonly grammar: string;
  readonly maxTokens: number;
}

function generateCall(session: EngineSession, turn: Turn) {
  return session.generate({ grammar: turn.grammar, maxTokens: turn.maxTokens, temperature: 0 });
}

async function runStream(turn: Turn, steps: number): Promise<StreamRun> {
  const { model, adapter } = turn;
  const session = await model.createSession();
  const transcript: number[] = [];
  const appendText = async (text: string) => {
    const tokens = model.tokenize(text);
    transcript.push(...tokens);
    await session.appendTokens(tokens);
    return tokens.length;
  };
  try {
    let setupTokens = 0;
    const setupTime = await timed(async () => { setupTokens = await appendText(adapter.renderPreamble(toolDefinitions) + adapter.renderTask(TASK)); });
    const run: StreamRun = { transcript, promptLengths: [], calls: [], setup: { step: 0, evaluatedTokens: setupTokens, ...setupTime }, perStep: [] };
    for (let step = 1; step <= steps; step++) {
      let evaluated = 0;
      const time = await timed(async () => {
        evaluated += await appendText(adapter.turnPrefix);
        run.promptLengths.push(transcript.length);
        const call = await generateCall(session, turn);
        run.calls.push(call.tokens);
        transcript.push(...call.tokens);
        evaluated += call.tokens.length + (await appendText(adapter.renderObservation(openRangeWindow(step))));
      });
      run.perStep.push({ step, evaluatedTokens: evaluated, ...time });
    }
    return run;
  } finally {
    await session.dispose();
  }
}

/** One chat-style step: a fresh sequence, the whole transcript so far, then the call. */
async function chatStep(turn: Turn, prompt: readonly number[], step: number): Promise<{ cost: StepCost; call: number[] }> {
  // A server keeps its context between requests: creating and freeing it is not counted.
  const session = await turn.model.createSession();
  try {
    let call: number[] = [];
    const time: Timing = await timed(async () => {
      await session.appendTokens(prompt);
      call = (await generateCall(session, turn)).tokens;
    });
    return { cost: { step, evaluatedTokens: prompt.length + call.length, ...time }, call };
  } finally {
    await session.dispose();
  }
}

export function linearFit(points: readonly StepCost[]): { fixedMs: number; msPerToken: number } {
  const n = points.length;
  const mx = sum(points.map((p) => p.evaluatedTokens)) / n;
  const my = sum(points.map((p) => p.cpuMs)) / n;
  const sxy = sum(points.map((p) => (p.evaluatedTokens - mx) * (p.cpuMs - my)));
  const sxx = sum(points.map((p) => (p.evaluatedTokens - mx) ** 2));
  const msPerToken = sxx > 0 ? sxy / sxx : my / mx;
  return { fixedMs: my - msPerToken * mx, msPerToken };
}

const sameTokens = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((t, i) => t === b[i]);

export async function benchStreamVsChat(arch: TinyArchitecture, path: string, options: StreamVsChatOptions, log: (line: string) => void): Promise<StreamVsChatRow> {
  const steps = options.steps ?? 300;
  const sampleEvery = options.sampleEvery ?? 10;
  const model = await loadModel({ path, gpu: false, threads: 1 });
  try {
    const adapter = adapterFor({ architecture: model.info.architecture, chatTemplate: model.info.chatTemplate ?? undefined });
    const turn: Turn = { model, adapter, grammar: adapter.grammar(toolDefinitions, LIMITS), maxTokens: options.maxTokens ?? 48 };
    const stream = await runStream(turn, steps);
    const streamCpuMs = stream.setup.cpuMs + sum(stream.perStep.map((s) => s.cpuMs));
    log(`  ${arch} (${adapter.format} format) stream: ${steps} steps, ${stream.transcript.length} tokens, ${(streamCpuMs / 1000).toFixed(1)} s CPU`);

    const measured: StepCost[] = [];
    let sameCalls = 0;
    for (let step = sampleEvery; step <= steps; step += sampleEvery) {
      const { cost, call } = await chatStep(turn, stream.transcript.slice(0, stream.promptLengths[step - 1]), step);
      measured.push(cost);
      if (sameTokens(call, stream.calls[step - 1]!)) sameCalls++;
    }
    const fit = linearFit(measured);
    const chatTokensPerStep = stream.promptLengths.map((prompt, i) => prompt + stream.calls[i]!.length);
    const estimatedCpuMs = sum(chatTokensPerStep.map((tokens) => fit.fixedMs + fit.msPerToken * tokens));
    const streamTokens = stream.setup.evaluatedTokens + sum(stream.perStep.map((s) => s.evaluatedTokens));
    const sampledStream = sum(measured.map((m) => stream.perStep[m.step - 1]!.cpuMs));
    const row: StreamVsChatRow = {
      arch, format: adapter.format, steps, sampleEvery, finalTokens: stream.transcript.length,
      stream: { setup: stream.setup, perStep: stream.perStep },
      chat: { measured, fit, evaluatedTokens: sum(chatTokensPerStep), estimatedCpuMs },
      sameCalls,
      tokenRatio: sum(chatTokensPerStep) / streamTokens,
      timeRatio: estimatedCpuMs / streamCpuMs,
      measuredStepRatio: sum(measured.map((m) => m.cpuMs)) / sampledStream,
    };
    log(`  ${arch} chat-style: ${measured.length} of ${steps} steps re-sent (one in ${sampleEvery}), estimated ${(estimatedCpuMs / 1000).toFixed(0)} s CPU for all ${steps}`);
    log(`  ${arch}: chat / stream = ${row.timeRatio.toFixed(1)}x time, ${row.tokenRatio.toFixed(1)}x tokens evaluated (identical calls in ${sameCalls}/${measured.length} re-sent steps)`);
    return row;
  } finally {
    await model.dispose();
  }
}
