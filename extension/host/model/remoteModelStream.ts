// The model of a session run from VS Code: the core's engine interface (ModelStream) implemented by
// the model-host client (llama.cpp never runs in the extension host's process), and the opener that
// loads the model, creates its stream and builds the core's ModelPolicy on it.
import { formatTokens, ModelPolicy, windowDigest, type ModelWindow, type ModelAppendOptions, type ModelGenerateOptions, type ModelOpener, type ModelStream, type OpenedModel } from "../../core/agent";
import { chooseFormat, createAdapter, type FormatChoice } from "../../core/prompt";
import type { ModelInfo, RePrime } from "../../../native/protocol";
import { readModelSettings, readSampling } from "../config";
import { log } from "../log";
import { ModelHostError, type ModelHostClient } from "./modelHostClient";
import type { ModelService } from "./modelService";

/** One sequence in the model host. It owns its id: nothing else names the host's session. */
export class RemoteModelStream implements ModelStream {
  private disposed = false;

  constructor(
    private readonly client: ModelHostClient,
    /** The host's id of this stream, for the API and tests (tokenCount, nextTokenLogits). */
    readonly id: string,
  ) {}

  async append(text: string, options: ModelAppendOptions = {}) {
    const result = await this.client.append({ sessionId: this.id, text, ...(options.special ? { special: true } : {}) }, options.signal);
    logReprime(result.reprimed);
    return { appendedTokens: result.appendedTokens, ms: result.ms };
  }

  async generate(options: ModelGenerateOptions) {
    const { signal, ...params } = options;
    const result = await this.client.generate({ sessionId: this.id, ...params }, { ...(signal ? { signal } : {}) });
    logReprime(result.reprimed);
    return result;
  }

  saveState(file: string): Promise<unknown> {
    return this.client.saveState(this.id, file);
  }

  loadState(file: string): Promise<unknown> {
    return this.client.loadState(this.id, file);
  }

  /** Frees the host's state; once only, and quietly when the host is gone (it took the state along). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.client.disposeSession(this.id).catch(() => undefined);
  }
}

function logReprime(reprimed: RePrime | undefined): void {
  if (reprimed) log().info(`model window re-primed: ${reprimed.droppedTokens} tokens dropped, ${reprimed.digestTokens} tokens of digest`);
}

/** Opens `modelPath` (the configured model when undefined; the loaded one when it is the same file)
 * for one session run. `onReady` hears which model it is (for the panel). */
export function remoteModelOpener(models: ModelService, modelPath: string | undefined, onReady?: (info: ModelInfo, format: FormatChoice) => void): ModelOpener {
  return {
    ...(modelPath !== undefined ? { modelPath } : {}),
    async open(window) {
      const info = models.modelInfo && (!modelPath || models.modelInfo.path === modelPath) ? models.modelInfo : await models.loadModel(modelPath);
      const { toolCallFormat, contextSize } = readModelSettings();
      const choice = chooseFormat({ architecture: info.architecture, name: info.name, ...(info.specialTokens ? { specialTokens: info.specialTokens } : {}), ...(info.chatTemplate ? { chatTemplate: info.chatTemplate } : {}) }, toolCallFormat);
      for (const warning of choice.warnings) log().warn(warning);
      const adapter = createAdapter(choice.format, choice.options);
      // Recurrent models never fill; for the others, a full window is re-primed deliberately with the
      // goal, the notes and the recent steps (never a silent context shift).
      const onWindowFull = (event: { tokenCount: number; capacity: number }) => {
        log().warn(`model window full (${event.tokenCount} of ${event.capacity} tokens): re-priming with the goal, the notes and the recent steps`);
        return windowDigest(adapter, window());
      };
      const created = await models.client.createSession(contextSize > 0 ? { contextSize } : {}, onWindowFull);
      log().info(`model session ${created.sessionId}: ${adapter.format} tool-call format (${choice.reason}), ${adapter.framing} framing, ${created.contextSize}-token window`);
      const stream = new RemoteModelStream(models.client, created.sessionId);
      const policy = new ModelPolicy(adapter, stream, {
        ...readSampling(),
        maxTokensPerTurn: 1024,
        ...(info.kind === "recurrent" ? {} : { window: modelWindow(info, created.contextSize, contextSize) }),
      });
      onReady?.(info, choice);
      const opened: OpenedModel = { policy, stream, isOtherModelsState };
      return opened;
    },
  };
}

/** The host says STATE_MISMATCH both for another model's state and for a file that is not one. */
function isOtherModelsState(error: unknown): boolean {
  return error instanceof ModelHostError && error.code === "STATE_MISMATCH" && !/not valid JSON|not a saved-state/.test(error.message);
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
