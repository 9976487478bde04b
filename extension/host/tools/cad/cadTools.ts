// The CAD pack's implementations: cad_check (compile, errors and warnings with line numbers) and
// render_view (geometry facts, an ASCII depth image of the view for the model, a PNG for the user).
// Before OpenSCAD runs, every file the model would read is checked to be inside the workspace.
import * as path from "node:path";
import { cameraFor, describeCamera, openscadCameraArgs, type CameraRequest } from "../../../core/tools/cad/camera";
import { depthImage } from "../../../core/tools/cad/depth";
import { boundingBox, formatBox, formatNumber, parseOff, partCount, volume, type Mesh } from "../../../core/tools/cad/mesh";
import { openscadMessages, type OpenscadMessage } from "../../../core/tools/cad/scadSource";
import { packDefinitions } from "../../../core/tools/packs";
import { failure, type ToolImplementation } from "../../../core/tools/registry";
import type { Observation, ToolDefinition } from "../../../core/tools/types";
import { readTextFile, resolvePath } from "../workspaceFiles";
import { checkReferences } from "./references";
import { notInstalledMessage, openscadInstalled, runOpenscad, type OpenscadRun } from "./openscad";

export interface CadEnvironment {
  readonly root: string;
  /** The `infiniteToolUse.tools.cadTimeoutSeconds` setting, in ms. */
  readonly timeoutMs: () => number;
}

const pngSize = 320;
/** node-llama-cpp 3 has no image input (withcatai/node-llama-cpp#88), so no model sees the PNG. */
const visionNote = "The PNG is shown to the user in the task panel; models here read text only, so use the facts and the depth image.";

function definition(name: string): ToolDefinition {
  const found = packDefinitions.cad.find((d) => d.name === name);
  if (!found) throw new Error(`tool ${name} is missing from the CAD pack`);
  return found;
}

type Prepared = { ok: true; relative: string; absolute: string; dirty: boolean } | { ok: false; observation: Observation };

async function prepare(root: string, input: string): Promise<Prepared> {
  if (!/\.scad$/i.test(input.trim())) return { ok: false, observation: failure(`${input} is not an OpenSCAD file (.scad); the CAD tools compile and render .scad files`) };
  if (!openscadInstalled()) return { ok: false, observation: failure(notInstalledMessage) };
  const file = await resolvePath(root, input);
  if (!file.ok) return { ok: false, observation: failure(file.error) };
  const read = await readTextFile(file);
  if (!read.ok) return { ok: false, observation: failure(read.error) };
  const references = await checkReferences(root, file.absolute, read.text);
  if (!references.ok) return { ok: false, observation: failure(`${references.error}. OpenSCAD was not run, and nothing outside the workspace was read`) };
  return { ok: true, relative: file.relative, absolute: file.absolute, dirty: read.document?.isDirty ?? false };
}

function messageLine(root: string, folder: string, m: OpenscadMessage): string {
  const file = m.file ? path.relative(root, path.resolve(folder, m.file)).split(path.sep).join("/") : undefined;
  const where = file && m.line ? `${file}:${m.line}: ` : m.line ? `line ${m.line}: ` : "";
  return `- ${where}${m.severity}: ${m.text}`;
}

type Geometry = { ok: true; mesh: Mesh; messages: OpenscadMessage[]; ms: number } | { ok: false; observation: Observation };

/** Evaluates the whole model (OFF export); a timeout, errors or no geometry come back as failures. */
async function geometry(env: CadEnvironment, file: { relative: string; absolute: string }, signal: AbortSignal): Promise<Geometry> {
  const timeoutMs = env.timeoutMs();
  const run = await runOpenscad(file.absolute, "model.off", [], { root: env.root, timeoutMs, signal });
  const stopped = stoppedMessage(run, file.relative, timeoutMs);
  if (stopped) return { ok: false, observation: failure(stopped) };
  const messages = openscadMessages(run.outcome.output);
  const listed = messages.map((m) => messageLine(env.root, path.dirname(file.absolute), m));
  const errors = messages.filter((m) => m.severity === "error");
  if (errors.length || run.outcome.exitCode !== 0) {
    const detail = listed.length ? listed.join("\n") : lastLines(run.outcome.output);
    return { ok: false, observation: failure(`${file.relative} does not compile: ${errors.length || 1} error${errors.length > 1 ? "s" : ""} (OpenSCAD exit code ${run.outcome.exitCode}).\n${detail}`) };
  }
  if (!run.output) {
    const why = /not a 3D object|2D/i.test(run.outcome.output) ? "its top-level object is 2D; render_view shows 3D objects (linear_extrude it)" : "it makes no geometry (the top-level object is empty)";
    return { ok: false, observation: failure(`${file.relative} compiles, but ${why}.${listed.length ? `\n${listed.join("\n")}` : ""}`) };
  }
  try {
    return { ok: true, mesh: parseOff(run.output.toString("utf8")), messages, ms: run.outcome.ms };
  } catch (error) {
    return { ok: false, observation: failure(`OpenSCAD's geometry for ${file.relative} could not be read: ${(error as Error).message}`) };
  }
}

function stoppedMessage(run: OpenscadRun, relative: string, timeoutMs: number): string | undefined {
  if (run.outcome.timedOut) {
    return `OpenSCAD was stopped after ${Math.round(timeoutMs / 1000)} s on ${relative} (the infiniteToolUse.tools.cadTimeoutSeconds setting): the model may loop forever or be too detailed (large loops, high $fn). Nothing was changed`;
  }
  if (run.outcome.cancelled) return `OpenSCAD was cancelled on ${relative}`;
  if (run.outcome.exitCode === null && !run.outcome.timedOut) return `OpenSCAD could not run on ${relative}: ${lastLines(run.outcome.output)}`;
  return undefined;
}

function lastLines(output: string): string {
  return output.trim().split(/\r?\n/).slice(-6).join("\n") || "(no output)";
}

function facts(mesh: Mesh, messages: readonly OpenscadMessage[], root: string, folder: string): string[] {
  const box = boundingBox(mesh);
  const warnings = messages.filter((m) => m.severity === "warning").map((m) => messageLine(root, folder, m));
  return [
    `Bounding box: ${box ? formatBox(box) : "(empty)"}`,
    `Volume: ${formatNumber(volume(mesh))} cubic units; parts: ${partCount(mesh)}; triangles: ${mesh.triangles.length}`,
    warnings.length ? `Warnings (${warnings.length}):\n${warnings.slice(0, 20).join("\n")}` : "Warnings: none",
  ];
}

function cameraRequest(args: Readonly<Record<string, unknown>>): CameraRequest {
  const n = (name: string) => (typeof args[name] === "number" ? (args[name] as number) : undefined);
  const request: Record<string, unknown> = { view: args.view, rotX: n("rot_x"), rotY: n("rot_y"), rotZ: n("rot_z"), zoom: n("zoom"), panX: n("pan_x"), panY: n("pan_y"), projection: args.projection };
  return Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)) as CameraRequest;
}

export function cadTools(env: CadEnvironment): ToolImplementation[] {
  return [
    {
      definition: definition("cad_check"),
      async run(call, ctx) {
        const file = await prepare(env.root, String(call.args.path));
        if (!file.ok) return file.observation;
        const built = await geometry(env, file, ctx.signal);
        if (!built.ok) return built.observation;
        const unsaved = file.dirty ? " (the saved file; the editor has unsaved changes)" : "";
        return {
          ok: true,
          text: [`${file.relative} compiles without errors${unsaved} (${built.ms} ms).`, ...facts(built.mesh, built.messages, env.root, path.dirname(file.absolute))].join("\n"),
          summary: `${file.relative} compiles; ${built.messages.filter((m) => m.severity === "warning").length} warnings`,
        };
      },
    },
    {
      definition: definition("render_view"),
      async run(call, ctx) {
        const file = await prepare(env.root, String(call.args.path));
        if (!file.ok) return file.observation;
        const built = await geometry(env, file, ctx.signal);
        if (!built.ok) return built.observation;
        const box = boundingBox(built.mesh)!;
        const request = cameraRequest(call.args);
        const camera = cameraFor(request, box);
        const depth = depthImage(built.mesh, camera);
        const view = describeCamera(camera, request);
        const png = await runOpenscad(file.absolute, "view.png", [`--imgsize=${pngSize},${pngSize}`, ...openscadCameraArgs(camera)], { root: env.root, timeoutMs: env.timeoutMs(), signal: ctx.signal });
        const pngProblem = stoppedMessage(png, file.relative, env.timeoutMs()) ?? (png.output ? undefined : `OpenSCAD made no PNG: ${lastLines(png.outcome.output)}`);
        const lines = [
          `${file.relative}: ${view}.`,
          ...facts(built.mesh, built.messages, env.root, path.dirname(file.absolute)),
          `Depth image (${depth.covered} of 800 cells covered; denser is nearer, blank is background):`,
          ...depth.rows.map((r) => `|${r}`),
          pngProblem ? `No PNG: ${pngProblem}.` : visionNote,
        ];
        const observation: Observation = { ok: true, text: lines.join("\n"), summary: `rendered ${file.relative}: ${view}` };
        if (!png.output) return observation;
        return { ...observation, attachment: { kind: "image", dataUri: `data:image/png;base64,${png.output.toString("base64")}`, width: pngSize, height: pngSize, caption: `${file.relative}, ${view}` } };
      },
    },
  ];
}
