// The model policy of a session run from VS Code: the agent core's ModelPolicy, talking to the model
// host process through its client (llama.cpp never runs in the extension host's process).
import * as vscode from "vscode";
import { formatTokens, ModelPolicy, type ModelSession, type ModelWindow } from "../../core/agent";
import { adapterFor, type ProtocolAdapter } from "../../core/prompt";
import { toolDefinitions } from "../../core/tools/definitions";
import type { WindowContext } from "../sessionRunner";
import type { ModelInfo, RePrime } from "../../../native/protocol";
import { log } from "../log";
import type { ModelHostClient } from "./modelHostClient";
import type { ModelService } from "./modelService";
import { readModelSettings } from "./settings";

/** A session of the model host, in the shape the agent core's ModelPolicy drives. */
class RemoteModelSession implements ModelSession {
  constructor(
    private readonly client: ModelHostClient,
    readonly sessionId: string,
  ) {}

  async append(text: string, options: { special?: boolean; signal?: AbortSignal } = {}) {
    const result = await this.client.append({ sessionId: this.sessionId, text, ...(options.special ? { special: true } : {}) }, options.signal);
    logReprime(result.reprimed);
    return { appendedTokens: result.appendedTokens, ms: result.ms };
  }

  async generate(options: { grammar?: string; maxTokens: number; temperature?: number; seed?: number; signal?: AbortSignal }) {
    const { signal, ...params } = options;
    const result = await this.client.generate({ sessionId: this.sessionId, ...params }, { ...(signal ? { signal } : {}) });
    logReprime(result.reprimed);
    return result;
  }

  async saveState(file: string): Promise<unknown> {
    return this.client.saveState(this.sessionId, file);
  }
}

function logReprime(reprimed: RePrime | undefined): void {
  if (reprimed) log().info(`model window re-primed: ${reprimed.droppedTokens} tokens dropped, ${reprimed.digestTokens} tokens of digest`);
}

/** `sessionId` is the policy's model session in the host (resume loads a saved state into it). */
export async function createRemoteModelPolicy(
  models: ModelService,
  modelPath?: string,
  windowContext?: () => WindowContext,
): Promise<{ policy: ModelPolicy; info: ModelInfo; sessionId: string }> {
  const info = models.modelInfo && (!modelPath || models.modelInfo.path === modelPath) ? models.modelInfo : await models.loadModel(modelPath);
  const { toolCallFormat, contextSize } = readModelSettings();
  const adapter = adapterFor({ architecture: info.architecture, ...(info.chatTemplate ? { chatTemplate: info.chatTemplate } : {}) }, toolCallFormat);
  // Recurrent models never fill; for the others, a full window is re-primed deliberately with the
  // goal, the notes and the recent steps (never a silent context shift).
  const onWindowFull = windowContext
    ? (event: { tokenCount: number; capacity: number }) => {
        log().warn(`model window full (${event.tokenCount} of ${event.capacity} tokens): re-priming with the goal, the notes and the recent steps`);
        return windowDigest(adapter, windowContext());
      }
    : undefined;
  const created = await models.client.createSession(contextSize > 0 ? { contextSize } : {}, onWindowFull);
  log().info(`model session ${created.sessionId}: ${adapter.format} tool-call format, ${created.contextSize}-token window`);
  const sampling = vscode.workspace.getConfiguration("infiniteToolUse.sampling");
  const policy = new ModelPolicy(adapter, new RemoteModelSession(models.client, created.sessionId), {
    temperature: sampling.get<number>("temperature", 0.2),
    seed: sampling.get<number>("seed", 0),
    maxTokensPerTurn: 1024,
    ...(info.kind === "recurrent" ? {} : { window: modelWindow(info, created.contextSize, contextSize) }),
  });
  return { policy, info, sessionId: created.sessionId };
}

/** The window of a session (engine capacity: its context less the two tokens kept free), and what enlarges it. */
function modelWindow(info: ModelInfo, contextSize: number, setting: number): ModelWindow {
  const limitedBySetting = setting > 0 && contextSize >= setting && (info.trainContextSize === null || info.trainContextSize > setting);
  return {
    capacity: contextSize - 2,
    remedy: (minimum) =>
      limitedBySetting
        ? `raise the setting infiniteToolUse.model.contextSize (now ${setting}) to at least ${formatTokens(minimum + 2)}, or set it to 0`
        : `choose a model trained on a window of at least ${formatTokens(minimum + 2)} tokens (this one has ${formatTokens(info.trainContextSize ?? contextSize)})`,
  };
}

/**
 * A fresh window's prompt: the rules and tools, then the goal with the notes and recent steps. In a
 * small window the full digest may leave no room for a turn, so lighter ones follow it (fewer
 * steps, then no notes); the model host primes with the first that fits.
 */
export function windowDigest(adapter: ProtocolAdapter, context: WindowContext): string[] {
  const digest = (notes: string, steps: readonly string[]) => {
    const recent = steps.length ? `\n\nThe most recent steps:\n${steps.join("\n")}` : "";
    const noted = notes.trim() ? `\n\nYour notes so far:\n${notes.trim()}` : "";
    const resumed = "\n\n(Your memory of this session was compacted; re-read files with the tools as needed.)";
    return adapter.renderPreamble(toolDefinitions) + adapter.renderTask(`${context.goal}${noted}${recent}${resumed}`);
  };
  const stepCounts = [...new Set([context.recentSteps.length, 6, 3, 1, 0].filter((n) => n <= context.recentSteps.length))];
  const candidates = stepCounts.map((n) => digest(context.notes, n ? context.recentSteps.slice(-n) : []));
  if (context.notes.trim()) candidates.push(digest("", context.recentSteps.slice(-1)), digest("", []));
  return [...new Set(candidates)];
}
