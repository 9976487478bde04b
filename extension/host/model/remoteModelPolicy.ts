// The model policy of a session run from VS Code: the agent core's ModelPolicy, talking to the model
// host process through its client (llama.cpp never runs in the extension host's process).
import * as vscode from "vscode";
import { ModelPolicy, type ModelSession } from "../../core/agent";
import { adapterFor, TOOL_CALL_FORMATS, type ToolCallFormatSetting } from "../../core/prompt";
import type { ModelInfo } from "../../../native/protocol";
import { log } from "../log";
import type { ModelHostClient } from "./modelHostClient";
import type { ModelService } from "./modelService";

/** A session of the model host, in the shape the agent core's ModelPolicy drives. */
class RemoteModelSession implements ModelSession {
  constructor(
    private readonly client: ModelHostClient,
    readonly sessionId: string,
  ) {}

  async append(text: string, options: { special?: boolean; signal?: AbortSignal } = {}) {
    const result = await this.client.append({ sessionId: this.sessionId, text, ...(options.special ? { special: true } : {}) }, options.signal);
    return { appendedTokens: result.appendedTokens, ms: result.ms };
  }

  generate(options: { grammar?: string; maxTokens: number; temperature?: number; seed?: number; signal?: AbortSignal }) {
    const { signal, ...params } = options;
    return this.client.generate({ sessionId: this.sessionId, ...params }, { ...(signal ? { signal } : {}) });
  }

  async saveState(file: string): Promise<unknown> {
    return this.client.saveState(this.sessionId, file);
  }
}

function formatSetting(): ToolCallFormatSetting {
  const value = vscode.workspace.getConfiguration("infiniteToolUse.model").get<string>("toolCallFormat", "auto");
  return value === "auto" || (TOOL_CALL_FORMATS as readonly string[]).includes(value) ? (value as ToolCallFormatSetting) : "auto";
}

/** `sessionId` is the policy's model session in the host (resume loads a saved state into it). */
export async function createRemoteModelPolicy(models: ModelService, modelPath?: string): Promise<{ policy: ModelPolicy; info: ModelInfo; sessionId: string }> {
  const info = models.modelInfo && (!modelPath || models.modelInfo.path === modelPath) ? models.modelInfo : await models.loadModel(modelPath);
  const created = await models.client.createSession();
  const adapter = adapterFor({ architecture: info.architecture, ...(info.chatTemplate ? { chatTemplate: info.chatTemplate } : {}) }, formatSetting());
  log().info(`model session ${created.sessionId}: ${adapter.format} tool-call format`);
  const sampling = vscode.workspace.getConfiguration("infiniteToolUse.sampling");
  const policy = new ModelPolicy(adapter, new RemoteModelSession(models.client, created.sessionId), {
    temperature: sampling.get<number>("temperature", 0.2),
    seed: sampling.get<number>("seed", 0),
    maxTokensPerTurn: 1024,
  });
  return { policy, info, sessionId: created.sessionId };
}
