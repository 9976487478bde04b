// The model host as VS Code sees it: one client per window, started on first use, a progress
// notification while a model loads, the backend logged, and a crash reported with the host's last
// log lines and an "Open Log" action. A crashed host is started again on the next use.
import { join } from "node:path";
import * as vscode from "vscode";
import type { ModelInfo } from "../../../native/protocol";
import { reportError } from "../errors";
import { log } from "../log";
import { withCancellableProgress } from "./progress";
import { HostCrashedError, ModelHostClient, type HostExit } from "./modelHostClient";
import { readModelSettings } from "../config";

export interface CrashReport {
  exit: HostExit;
  /** The message shown to the user. */
  message: string;
}

export class ModelService implements vscode.Disposable {
  readonly client: ModelHostClient;
  private loaded?: ModelInfo;
  private readonly crashes: CrashReport[] = [];
  private readonly crashEmitter = new vscode.EventEmitter<CrashReport>();
  /** Fires after a crash or an outside kill of the host has been reported. */
  readonly onDidCrash = this.crashEmitter.event;
  private readonly loadEmitter = new vscode.EventEmitter<ModelInfo>();
  /** Fires when a model has loaded (Pick Model, a task's start). */
  readonly onDidLoad = this.loadEmitter.event;

  constructor(extensionPath: string) {
    this.client = new ModelHostClient({
      hostPath: join(extensionPath, "dist", "model-host.mjs"),
      onLog: (level, message) => writeHostLog(level, message),
    });
    this.client.onExit((exit) => {
      this.loaded = undefined;
      if (!exit.expected) this.reportCrash(exit);
    });
  }

  /** The crashes reported in this window, oldest first. */
  get crashReports(): readonly CrashReport[] {
    return this.crashes;
  }

  get modelInfo(): ModelInfo | undefined {
    return this.loaded;
  }

  /** Starts the host when it is not running (first use, or after a crash). */
  async ensureStarted(): Promise<void> {
    if (this.client.running) return;
    const hello = await this.client.start();
    log().info(`model host started (pid ${hello.pid}, node ${hello.node})`);
  }

  /** Loads the model at `path`, or the one the settings name, with a progress notification. */
  async loadModel(path?: string): Promise<ModelInfo> {
    const settings = readModelSettings();
    const modelPath = path ?? settings.path;
    if (!modelPath) throw new Error("No model is configured: set infiniteToolUse.model.path or pick a model from the catalog");
    await this.ensureStarted();
    const info = await withCancellableProgress(`Loading model ${modelPath.split(/[\\/]/).pop()}`, async (report, signal) => {
      const off = this.client.onLoadProgress(({ fraction }) => {
        const percent = Math.round(fraction * 100);
        report(percent, `${percent}%`);
      });
      try {
        return await this.client.loadModel({ path: modelPath, threads: settings.threads || undefined, gpu: settings.gpu }, signal);
      } finally {
        off();
      }
    });
    this.loaded = info;
    this.loadEmitter.fire(info);
    log().info(
      `model loaded: ${info.name} (${info.architecture}, ${info.kind}, ${(info.parameterCount / 1e6).toFixed(1)}M parameters, ` +
        `${(info.fileSize / 2 ** 20).toFixed(1)} MiB, state ${(info.stateSize / 2 ** 20).toFixed(2)} MiB); backend ${info.backend}` +
        `${info.gpuDevices.length ? ` (${info.gpuDevices.join(", ")})` : ""}, ${info.threads} thread(s)`,
    );
    return info;
  }

  dispose(): void {
    void this.client.stop();
    this.crashEmitter.dispose();
    this.loadEmitter.dispose();
  }

  private reportCrash(exit: HostExit): void {
    log().error(`${exit.description}. Last lines of its log:\n${exit.stderrTail.map((l) => `  | ${l}`).join("\n")}`);
    const report = { exit, message: `${exit.description}. It will be started again on the next model request.` };
    this.crashes.push(report);
    this.crashEmitter.fire(report);
    // The description already says what happened to the host ("The model host was killed …").
    void reportError("Infinite Tool Use", new HostCrashedError({ ...exit, description: report.message }));
  }
}

function writeHostLog(level: string, message: string): void {
  const line = `[model host] ${message}`;
  if (level === "error") log().error(line);
  else if (level === "warn") log().warn(line);
  else if (level === "info") log().info(line);
  else log().debug(line);
}
