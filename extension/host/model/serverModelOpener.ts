// The model of a session run on a llama-server (infiniteToolUse.engine.url, or the headless run's
// --engine): the core's ServerEngine, connected once per URL in this window so that its slot pool
// knows every session here, and the core's ModelPolicy on a stream of its own slot. The server's
// model is used; nothing is loaded in the model host.
import { formatTokens, ModelPolicy, windowDigest, type ModelOpener, type ModelWindow, type OpenedModel } from "../../core/agent";
import { isOtherModelsSnapshot, ServerEngine } from "../../core/engine";
import { chooseFormat, createAdapter, formatLine } from "../../core/prompt";
import { readModelSettings, readSampling } from "../config";
import { log } from "../log";
import type { PanelState } from "../panel/panelState";

const engines = new Map<string, Promise<ServerEngine>>();

/** The engine at `url`, connected and checked on first use (again after a failed connect). */
export function serverEngine(url: string): Promise<ServerEngine> {
  let engine = engines.get(url);
  if (!engine) {
    engine = ServerEngine.connect(url, { log: (level, line) => (level === "warn" ? log().warn(line) : log().info(line)) });
    engines.set(url, engine);
    engine.catch(() => engines.delete(url));
  }
  return engine;
}

export function serverModelOpener(url: string, panel?: PanelState): ModelOpener {
  return {
    // A full slot is re-primed with the goal, the notes and the recent steps, as in-process.
    async open(window) {
      panel?.model({ name: `llama-server at ${url}`, state: "loading", progress: 0 });
      try {
        const engine = await serverEngine(url);
        const { toolCallFormat } = readModelSettings();
        const choice = chooseFormat({ name: engine.model.name, ...(engine.props.chatTemplate ? { chatTemplate: engine.props.chatTemplate } : {}) }, toolCallFormat);
        for (const warning of choice.warnings) log().warn(warning);
        const adapter = createAdapter(choice.format, choice.options);
        const stream = await engine.openStream({ digest: () => windowDigest(adapter, window()), markers: adapter.markers });
        log().info(`engine: ${engine.describe()}, slot ${stream.slot} of ${engine.props.totalSlots}, build ${engine.props.build}; ${adapter.format} tool-call format (${choice.reason})`);
        const policy = new ModelPolicy(adapter, stream, {
          ...readSampling(),
          maxTokensPerTurn: 1024,
          // The server never shifts a slot's context (--no-context-shift): its per-slot window bounds the session.
          ...(engine.props.slotContext > 0 ? { window: slotWindow(engine.props.slotContext) } : {}),
        });
        panel?.model({ name: engine.model.name, state: "ready", detail: `engine: ${engine.describe()}`, format: formatLine(choice) });
        const opened: OpenedModel = { policy, stream, isOtherModelsState: isOtherModelsSnapshot };
        return opened;
      } catch (error) {
        panel?.model({ name: `llama-server at ${url}`, state: "error", detail: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    },
  };
}

function slotWindow(slotContext: number): ModelWindow {
  return {
    capacity: slotContext - 2,
    remedy: (minimum) => `start llama-server with at least ${formatTokens(minimum + 2)} tokens per slot (-c is shared by the -np slots)`,
  };
}
