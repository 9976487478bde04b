// Shared by the packs suites: the fixture repository, replayed traces, and a PNG reader that checks
// a rendered view for its size and for content (not one flat colour).
import { inflateSync } from "node:zlib";
import * as vscode from "vscode";

export { activate, git, initRepository, setTheme, showPanel, traces, workspace } from "../agent/support";

export interface PngFacts {
  readonly width: number;
  readonly height: number;
  /** Share of pixels that differ clearly from the top-left pixel (the background). */
  readonly foreground: number;
}

/** Decodes an 8-bit RGB or RGBA PNG (what OpenSCAD writes) far enough to count its pixels. */
export function pngFacts(bytes: Buffer): PngFacts {
  if (bytes.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") throw new Error("not a PNG");
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("ascii", at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || (body[9] !== 2 && body[9] !== 6)) throw new Error(`unsupported PNG: depth ${body[8]}, colour type ${body[9]}`);
      channels = body[9] === 2 ? 3 : 4;
    } else if (type === "IDAT") data.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const corner = y > 0 && x >= channels ? pixels[(y - 1) * stride + x - channels]! : 0;
      const paeth = () => {
        const p = left + up - corner;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - corner)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : corner;
      };
      const predictor = [0, left, up, (left + up) >> 1, filter === 4 ? paeth() : 0][filter] ?? 0;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  let foreground = 0;
  for (let i = 0; i < width * height; i++) {
    let difference = 0;
    for (let c = 0; c < 3; c++) difference += Math.abs(pixels[i * channels + c]! - pixels[c]!);
    if (difference > 30) foreground++;
  }
  return { width, height, foreground: foreground / (width * height) };
}

/** Opens a session's review (its multi-file diff against the base) and returns the files it shows. */
export async function reviewedFiles(sessionId: string): Promise<string[]> {
  const title = await vscode.commands.executeCommand<string>("infiniteToolUse.sessions.review", sessionId);
  if (!title) throw new Error("review returned no title");
  const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
  const deadline = Date.now() + 15_000;
  let tab = tabs().find((t) => t.label.startsWith(title));
  while (!tab && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    tab = tabs().find((t) => t.label.startsWith(title));
  }
  const input = tab?.input as { textDiffs?: { modified: vscode.Uri }[] } | undefined;
  if (!input?.textDiffs) throw new Error(`no multi-file diff tab: ${JSON.stringify(tabs().map((t) => t.label))}`);
  const files = input.textDiffs.map((d) => d.modified.path.replace(/^\//, "")).sort();
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  return files;
}
