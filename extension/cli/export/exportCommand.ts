// `export <repo> [--session ID | --all] --out FILE.jsonl [--model FILE.gguf] [--format F]`: recorded
// sessions as training data (core/training/). The repository is only read.
import { writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseCommandLine } from "../args";
import { errorMessage } from "../../core/errorMessage";
import { chooseFormat, createAdapter, TOOL_CALL_FORMATS, type ToolCallFormat } from "../../core/prompt";
import { SessionStore } from "../../core/sessions";
import { toolDefinitions } from "../../core/tools/definitions";
import { exportSession } from "../../core/training/exportSession";
import { loadModel } from "../../../native/engine/index";

export const EXPORT_USAGE = `Usage: infinite-tool-use export <repo> (--session ID | --all) --out FILE.jsonl [--model FILE.gguf] [--format F]

Writes each recorded session of the repository as one JSON line: the exact sequence its model saw
and wrote, in the model's own rendering, cut into spans labelled preamble, task, call, notes and
observation (docs/training-data.md). With --model, every span also carries its token ids from that
model's tokenizer.

Options:
  --session ID     one session (its id or branch)
  --all            every session of the repository
  --out FILE       the JSON Lines file to write
  --model FILE     the GGUF the session ran (token ids; its metadata picks the format)
  --format F       the tool-call format the session used: ${TOOL_CALL_FORMATS.join(", ")} (default: from --model, else plain)
  -h, --help       show this help

Exit status: 0 written; 1 a session could not be exported; 2 bad usage.`;

export interface ExportOptions {
  readonly repo: string;
  readonly session?: string;
  readonly all: boolean;
  readonly out: string;
  readonly model?: string;
  readonly format?: ToolCallFormat;
}

export function parseExportArgs(argv: readonly string[]): { options: ExportOptions } | { error: string } | { help: true } {
  const parsed = parseCommandLine(argv, { session: { type: "string" }, all: { type: "boolean" }, out: { type: "string" }, model: { type: "string" }, format: { type: "string" }, help: { type: "boolean", short: "h" } });
  if ("error" in parsed) return parsed;
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1) return { error: "export needs one repository folder" };
  if ((values.session === undefined) === !values.all) return { error: "give exactly one of --session ID and --all" };
  if (!values.out) return { error: "--out is missing" };
  if (values.format !== undefined && !(TOOL_CALL_FORMATS as readonly string[]).includes(values.format)) return { error: `--format must be one of ${TOOL_CALL_FORMATS.join(", ")}, got "${values.format}"` };
  return {
    options: {
      repo: resolve(positionals[0]!),
      ...(values.session !== undefined ? { session: values.session } : {}),
      all: values.all ?? false,
      out: resolve(values.out),
      ...(values.model ? { model: resolve(values.model) } : {}),
      ...(values.format ? { format: values.format as ToolCallFormat } : {}),
    },
  };
}

export async function runExport(options: ExportOptions, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  let store: SessionStore;
  try {
    store = await SessionStore.open(options.repo);
  } catch (error) {
    printError(`export: ${errorMessage(error)}`);
    return 2;
  }
  const sessions = await store.list();
  const wanted = options.all ? sessions : sessions.filter((s) => s.id === options.session || s.branch === options.session);
  if (wanted.length === 0) {
    printError(options.all ? `export: ${options.repo} has no recorded sessions` : `export: there is no session "${options.session}" in ${options.repo}`);
    return 2;
  }
  let model;
  try {
    model = options.model ? await loadModel({ path: options.model, gpu: false }) : undefined;
  } catch (error) {
    printError(`export: the model ${options.model} could not be loaded: ${errorMessage(error)}`);
    return 2;
  }
  try {
    const choice = chooseFormat(model ? { architecture: model.info.architecture, ...(model.info.chatTemplate ? { chatTemplate: model.info.chatTemplate } : {}) } : {}, options.format ?? "auto");
    const adapter = createAdapter(choice.format, choice.options);
    const lines: string[] = [];
    let failed = 0;
    for (const info of wanted) {
      try {
        const trace = await store.readTrace(info.id);
        const record = exportSession(trace, {
          adapter,
          tools: toolDefinitions,
          ...(model ? { tokenize: (text: string, special: boolean) => model.tokenize(text, special), model: { file: basename(options.model!), architecture: model.info.architecture } } : {}),
        });
        lines.push(JSON.stringify(record));
      } catch (error) {
        failed++;
        printError(`export: session ${info.id} was left out: ${errorMessage(error)}`);
      }
    }
    writeFileSync(options.out, lines.map((l) => `${l}\n`).join(""));
    print(`exported ${lines.length} session${lines.length === 1 ? "" : "s"} (${choice.format} format) to ${options.out}`);
    return failed ? 1 : 0;
  } finally {
    await model?.dispose();
  }
}
