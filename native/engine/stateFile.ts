// The sidecar next to each saved state: which model made it (loading another model's state can crash
// llama.cpp) and the held-back token, which llama.cpp's state file does not contain.
import { readFile, writeFile } from "node:fs/promises";
import { EngineError } from "./errors";

export interface ModelFingerprint {
  architecture: string;
  name: string;
  parameterCount: number;
  fileSize: number;
}

export interface StateSidecar {
  format: 1;
  fingerprint: ModelFingerprint;
  pending: number[];
  tokenCount: number;
}

export function sidecarPath(stateFile: string): string {
  return `${stateFile}.json`;
}

export async function writeStateSidecar(stateFile: string, content: Omit<StateSidecar, "format">): Promise<void> {
  await writeFile(sidecarPath(stateFile), JSON.stringify({ format: 1, ...content }));
}

export async function readStateSidecar(stateFile: string): Promise<StateSidecar> {
  let text: string;
  try {
    text = await readFile(sidecarPath(stateFile), "utf8");
  } catch {
    throw new EngineError("NOT_FOUND", `No saved state at ${stateFile} (its description ${sidecarPath(stateFile)} is missing)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EngineError("STATE_MISMATCH", `The description of ${stateFile} is not valid JSON`);
  }
  if (!isSidecar(parsed)) throw new EngineError("STATE_MISMATCH", `The description of ${stateFile} is not a saved-state description`);
  return parsed;
}

function isSidecar(value: unknown): value is StateSidecar {
  const v = value as Partial<StateSidecar> | null;
  return (
    typeof v === "object" && v !== null && v.format === 1 &&
    typeof v.tokenCount === "number" &&
    Array.isArray(v.pending) && v.pending.every((t) => Number.isInteger(t) && t >= 0) &&
    typeof v.fingerprint === "object" && v.fingerprint !== null &&
    typeof v.fingerprint.architecture === "string" && typeof v.fingerprint.name === "string" &&
    typeof v.fingerprint.parameterCount === "number" && typeof v.fingerprint.fileSize === "number"
  );
}
