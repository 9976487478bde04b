// The model policy of a session run from VS Code: the agent core's ModelPolicy, talking to the model
// host process through its client (llama.cpp never runs in the extension host's process).
import * as vscode from "vscode";
import { ModelPolicy, type ModelSession } from "../../core/agent";
import { chooseFormat, createAdapter, type ProtocolAdapter } from "../../core/prompt";
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
  const choice = chooseFormat({ architecture: info.architecture, name: info.name, ...(info.specialTokens ? { specialTokens: info.specialTokens } : {}), ...(info.chatTemplate ? { chatTemplate: info.chatTemplate } : {}) }, toolCallFormat);
  for (const warning of choice.warnings) log().warn(warning);
  const adapter = createAdapter(choice.format, choice.options);
  // Recurrent models never fill; for the others, a full window is re-primed deliberately with the
  // goal, the notes and the recent steps (never a silent context shift).
  const onWindowFull = windowContext
    ? (event: { tokenCount: number; capacity: number }) => {
        log().warn(`model window full (${event.tokenCount} of ${event.capacity} tokens): re-priming with the goal, the notes and the recent steps`);
        return windowDigest(adapter, windowContext());
      }
    : undefined;
  const created = await models.client.createSession(contextSize > 0 ? { contextSize } : {}, onWindowFull);
  log().info(`model session ${created.sessionId}: ${adapter.format} tool-call format (${choice.reason}), ${adapter.framing} framing`);
  const sampling = vscode.workspace.getConfiguration("infiniteToolUse.sampling");
  const policy = new ModelPolicy(adapter, new RemoteModelSession(models.client, created.sessionId), {
    temperature: sampling.get<number>("temperature", 0.2),
    seed: sampling.get<number>("seed", 0),
    maxTokensPerTurn: 1024,
  });
  return { policy, info, sessionId: created.sessionId };
}

/** A fresh window's prompt: the rules and tools, then the goal with the notes and recent steps. */
export function windowDigest(adapter: ProtocolAdapter, context: WindowContext): string {
  const recent = context.recentSteps.length ? `\n\nThe most recent steps:\n${context.recentSteps.join("\n")}` : "";
  const notes = context.notes.trim() ? `\n\nYour notes so far:\n${context.notes.trim()}` : "";
  const resumed = "\n\n(Your memory of this session was compacted; re-read files with the tools as needed.)";
  return adapter.renderPreamble(toolDefinitions) + adapter.renderTask(`${context.goal}${notes}${recent}${resumed}`);
}
