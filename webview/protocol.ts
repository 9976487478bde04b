// The task panel's wire protocol: the only module shared by the webview and the extension.
// Every message is a plain object with a `type`, described once as a valibot schema: the TypeScript
// types are inferred from the schemas and the runtime guards check the same schemas, so the two can
// never drift. valibot is used (not zod or ajv) because it never calls `new Function`, which the
// webview's strict CSP forbids.
import * as v from "valibot";

export const protocolVersion = 1;

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const amount = v.pipe(v.number(), v.finite(), v.minValue(0));

/** Lines added and removed by one step's commit. */
export const DiffStatSchema = v.object({ files: count, insertions: count, deletions: count });
export type DiffStat = v.InferOutput<typeof DiffStatSchema>;

/** A step in progress: the model is choosing the call (no tool yet), or the tool is running. */
export const StepStartSchema = v.object({ step: count, tool: v.optional(v.string()), keyArgs: v.optional(v.string()) });
export type StepStart = v.InferOutput<typeof StepStartSchema>;

/** A section of a Markdown document, as a prose step's outline lists it. */
export const OutlineEntrySchema = v.object({ level: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(6)), title: v.string(), startLine: count, endLine: count, words: count });

/**
 * What a step shows beside its text: a CAD view rendered to PNG (only as a base64 data URI, which the
 * panel's CSP allows for images and nothing else), or a document's section outline.
 */
export const StepAttachmentSchema = v.variant("kind", [
  v.object({
    kind: v.literal("image"),
    dataUri: v.pipe(v.string(), v.regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/), v.maxLength(2_000_000)),
    width: count,
    height: count,
    caption: v.string(),
  }),
  v.object({ kind: v.literal("outline"), path: v.string(), sections: v.array(OutlineEntrySchema) }),
]);
export type StepAttachment = v.InferOutput<typeof StepAttachmentSchema>;

/** One finished step: what the timeline card shows, and (expanded) the full call and observation. */
export const StepCardSchema = v.object({
  step: count,
  tool: v.string(),
  /** The arguments that identify the call at a glance, e.g. `src/a.ts:10-20`. */
  keyArgs: v.string(),
  /** One line saying what came of it. */
  summary: v.string(),
  ok: v.boolean(),
  diffStat: v.optional(DiffStatSchema),
  commit: v.optional(v.string()),
  durationMs: v.optional(amount),
  /** The call as the model wrote it (absent when the loop did not report it). */
  call: v.optional(v.string()),
  /** The observation appended to the session stream. */
  observation: v.optional(v.string()),
  attachment: v.optional(StepAttachmentSchema),
});
export type StepCard = v.InferOutput<typeof StepCardSchema>;

export const BudgetSchema = v.object({ label: v.string(), used: amount, limit: amount });
export type Budget = v.InferOutput<typeof BudgetSchema>;

export const MetersSchema = v.object({
  tokensPerSecond: v.optional(amount),
  stepMs: v.optional(amount),
  tokens: amount,
  stateBytes: v.optional(amount),
  budgets: v.array(BudgetSchema),
});
export type Meters = v.InferOutput<typeof MetersSchema>;

export const ModelStatusSchema = v.object({
  /** Empty when no model is chosen. */
  name: v.string(),
  state: v.picklist(["none", "downloading", "loading", "ready", "error"]),
  /** 0..1 while downloading or loading. */
  progress: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  detail: v.optional(v.string()),
  /** The tool-call format a session chose for this model, and why (from the GGUF's template). */
  format: v.optional(v.string()),
});
export type ModelStatus = v.InferOutput<typeof ModelStatusSchema>;

/** How a session ended: `outcome` drives the panel's look; `reason` says why in words. */
export const SessionEndSchema = v.object({
  outcome: v.picklist(["finished", "stopped", "failed"]),
  reason: v.string(),
  summary: v.string(),
});
export type SessionEnd = v.InferOutput<typeof SessionEndSchema>;

export const SessionInfoSchema = v.object({ id: v.string(), task: v.string(), branch: v.string() });
export type SessionInfo = v.InferOutput<typeof SessionInfoSchema>;

export const SessionPhaseSchema = v.picklist(["running", "paused", "ended"]);
export type SessionPhase = v.InferOutput<typeof SessionPhaseSchema>;

/** Everything the panel shows about one session; the host keeps it, the webview renders it. */
export const SessionViewSchema = v.object({
  ...SessionInfoSchema.entries,
  phase: SessionPhaseSchema,
  /** The most recent cards (the host keeps a bounded number). */
  steps: v.array(StepCardSchema),
  /** Finished steps no longer held in `steps`. */
  earlierSteps: count,
  running: v.optional(StepStartSchema),
  notes: v.string(),
  meters: MetersSchema,
  end: v.optional(SessionEndSchema),
});
export type SessionView = v.InferOutput<typeof SessionViewSchema>;

export const PanelSnapshotSchema = v.object({
  model: ModelStatusSchema,
  session: v.nullable(SessionViewSchema),
  /** False in Restricted Mode (an untrusted workspace): the model cannot run tasks. */
  trusted: v.boolean(),
});
export type PanelSnapshot = v.InferOutput<typeof PanelSnapshotSchema>;

/** What the webview reports it renders (a test asks for it; it is what the user sees). */
export const RenderedViewSchema = v.object({
  modelText: v.string(),
  /** The line under the model name: which tool-call format was chosen and why ("" when none). */
  modelFormatText: v.string(),
  statusText: v.string(),
  taskDraft: v.string(),
  /** Which controls are enabled, by id. */
  enabled: v.record(v.string(), v.boolean()),
  /** `image`: the size a card's rendered view loaded at (0 x 0 when it did not load). */
  cards: v.array(v.object({ step: count, text: v.string(), expanded: v.boolean(), image: v.optional(v.object({ width: count, height: count })) })),
  earlierText: v.string(),
  runningText: v.string(),
  notesText: v.string(),
  metersText: v.string(),
  summaryText: v.string(),
  summaryVisible: v.boolean(),
  /** The Restricted Mode notice; empty while hidden. */
  restrictedText: v.string(),
  /** The first-run welcome (no model chosen yet); empty while hidden. */
  welcomeText: v.string(),
  /** True when the model line is shown as a failure (red). */
  modelError: v.boolean(),
});
export type RenderedView = v.InferOutput<typeof RenderedViewSchema>;

/** Controls a test may press, by element id (the same ids the panel's HTML uses). */
export const PanelControlSchema = v.picklist(["start", "pause", "stop", "pick-issue", "pick-model", "welcome-pick-model", "choose-model-file", "review", "accept", "discard", "manage-trust"]);
export type PanelControl = v.InferOutput<typeof PanelControlSchema>;

/** Test-only requests the webview answers with `described`, after applying all earlier messages. */
export const TestActionSchema = v.variant("kind", [
  v.object({ kind: v.literal("describe") }),
  v.object({ kind: v.literal("press"), control: PanelControlSchema }),
  v.object({ kind: v.literal("typeTask"), text: v.string() }),
  /** Ctrl+Enter in the task box (the keyboard way to start). */
  v.object({ kind: v.literal("ctrlEnter") }),
  v.object({ kind: v.literal("toggleCard"), step: count }),
  /** Scrolls a card into view (for screenshots of long sessions). */
  v.object({ kind: v.literal("revealCard"), step: count }),
]);
export type TestAction = v.InferOutput<typeof TestActionSchema>;

/** Extension -> webview. */
export const HostMessageSchema = v.variant("type", [
  v.object({ type: v.literal("init"), extensionVersion: v.string() }),
  v.object({ type: v.literal("status"), text: v.string(), busy: v.boolean() }),
  v.object({ type: v.literal("snapshot"), snapshot: PanelSnapshotSchema }),
  v.object({ type: v.literal("model"), model: ModelStatusSchema }),
  v.object({ type: v.literal("sessionStarted"), session: SessionInfoSchema }),
  v.object({ type: v.literal("stepStarted"), step: StepStartSchema }),
  v.object({ type: v.literal("stepFinished"), card: StepCardSchema }),
  v.object({ type: v.literal("notes"), text: v.string() }),
  v.object({ type: v.literal("meters"), meters: MetersSchema }),
  v.object({ type: v.literal("sessionPhase"), phase: v.picklist(["running", "paused"]) }),
  v.object({ type: v.literal("sessionEnded"), end: SessionEndSchema }),
  v.object({ type: v.literal("trust"), trusted: v.boolean() }),
  v.object({ type: v.literal("test"), requestId: v.string(), action: TestActionSchema }),
]);
export type HostMessage = v.InferOutput<typeof HostMessageSchema>;

/** Commands the panel's buttons may run; the extension maps them to contributed commands. */
export const PanelCommandSchema = v.picklist(["solveIssue", "reviewSession", "showLog", "manageWorkspaceTrust", "chooseModelFile"]);
export type PanelCommand = v.InferOutput<typeof PanelCommandSchema>;

/** Webview -> extension. */
export const WebviewMessageSchema = v.variant("type", [
  v.object({ type: v.literal("ready"), version: v.number() }),
  v.object({ type: v.literal("startTask"), task: v.pipe(v.string(), v.trim(), v.nonEmpty()) }),
  v.object({ type: v.literal("pause") }),
  v.object({ type: v.literal("resume") }),
  v.object({ type: v.literal("stop") }),
  v.object({ type: v.literal("pickModel") }),
  v.object({ type: v.literal("command"), command: PanelCommandSchema }),
  /** The finished session's buttons; `sessionId` so a stale click cannot act on a newer session. */
  v.object({ type: v.literal("sessionAction"), action: v.picklist(["review", "accept", "discard"]), sessionId: v.string() }),
  v.object({ type: v.literal("described"), requestId: v.string(), view: RenderedViewSchema }),
]);
export type WebviewMessage = v.InferOutput<typeof WebviewMessageSchema>;

// ---- What the events mean: both ends fold them into a PanelSnapshot with this one reducer. ----

/** The messages that change the panel's model (everything but handshakes and test requests). */
export type PanelEvent = Extract<
  HostMessage,
  { type: "model" | "sessionStarted" | "stepStarted" | "stepFinished" | "notes" | "meters" | "sessionPhase" | "sessionEnded" | "trust" }
>;

export interface PanelLimits {
  /** Cards kept (and sent in a snapshot); older ones only count towards `earlierSteps`. */
  maxCards: number;
  /** Longest call or observation text kept per card; the full text lives on the session branch. */
  maxDetailChars: number;
}

export const defaultPanelLimits: PanelLimits = { maxCards: 500, maxDetailChars: 20_000 };

export const emptyMeters: Meters = { tokens: 0, budgets: [] };

export function initialSnapshot(): PanelSnapshot {
  return { model: { name: "", state: "none" }, session: null, trusted: true };
}

function withSession(snapshot: PanelSnapshot, change: (session: SessionView) => SessionView): PanelSnapshot {
  // Events for a session the panel never heard of (or one already replaced) change nothing.
  return snapshot.session ? { ...snapshot, session: change(snapshot.session) } : snapshot;
}

function addCard(session: SessionView, card: StepCard, limits: PanelLimits): SessionView {
  const steps = [...session.steps.filter((c) => c.step !== card.step), card];
  const dropped = Math.max(0, steps.length - limits.maxCards);
  const running = session.running?.step === card.step ? undefined : session.running;
  return { ...session, steps: steps.slice(dropped), earlierSteps: session.earlierSteps + dropped, running };
}

/** The panel's model after one event: a pure function, so both ends could replay it. */
export function reducePanel(snapshot: PanelSnapshot, event: PanelEvent, limits: PanelLimits = defaultPanelLimits): PanelSnapshot {
  switch (event.type) {
    case "model":
      return { ...snapshot, model: event.model };
    case "sessionStarted":
      return {
        ...snapshot,
        session: { ...event.session, phase: "running", steps: [], earlierSteps: 0, notes: "", meters: emptyMeters },
      };
    case "stepStarted":
      return withSession(snapshot, (s) => ({ ...s, running: event.step }));
    case "stepFinished":
      return withSession(snapshot, (s) => addCard(s, event.card, limits));
    case "notes":
      return withSession(snapshot, (s) => ({ ...s, notes: event.text }));
    case "meters":
      return withSession(snapshot, (s) => ({ ...s, meters: event.meters }));
    case "sessionPhase":
      return withSession(snapshot, (s) => (s.phase === "ended" ? s : { ...s, phase: event.phase }));
    case "sessionEnded":
      return withSession(snapshot, (s) => ({ ...s, phase: "ended", running: undefined, end: event.end }));
    case "trust":
      return { ...snapshot, trusted: event.trusted };
  }
}

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  return v.is(WebviewMessageSchema, value);
}

export function isHostMessage(value: unknown): value is HostMessage {
  return v.is(HostMessageSchema, value);
}

/** Why a message was rejected, in one line (for the log). */
export function whyInvalid(schema: typeof HostMessageSchema | typeof WebviewMessageSchema, value: unknown): string | undefined {
  const result = v.safeParse(schema, value);
  if (result.success) return undefined;
  return result.issues.map((i) => `${v.getDotPath(i) ?? "(message)"}: ${i.message}`).join("; ");
}
