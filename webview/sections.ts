// The panel's sections other than the timeline: model, controls and status, summary, meters,
// notes. Each is cheap, so each is redrawn from the whole snapshot on every change.
import { byId, h, replaceChildren } from "./dom";
import { meterRows, modelStateText, sessionStatusText } from "./format";
import type { PanelSnapshot } from "./protocol";

export const sectionElements = () => ({
  modelName: byId<HTMLElement>("model-name"),
  modelProgress: byId<HTMLProgressElement>("model-progress"),
  modelDetail: byId<HTMLElement>("model-detail"),
  modelFormat: byId<HTMLElement>("model-format"),
  modelWelcome: byId<HTMLElement>("model-welcome"),
  welcomePickModel: byId<HTMLButtonElement>("welcome-pick-model"),
  chooseModelFile: byId<HTMLButtonElement>("choose-model-file"),
  task: byId<HTMLTextAreaElement>("task"),
  start: byId<HTMLButtonElement>("start"),
  pause: byId<HTMLButtonElement>("pause"),
  stop: byId<HTMLButtonElement>("stop"),
  pickIssue: byId<HTMLButtonElement>("pick-issue"),
  pickModel: byId<HTMLButtonElement>("pick-model"),
  status: byId<HTMLElement>("status"),
  branch: byId<HTMLElement>("branch"),
  summary: byId<HTMLElement>("summary"),
  summaryReason: byId<HTMLElement>("summary-reason"),
  summaryText: byId<HTMLElement>("summary-text"),
  review: byId<HTMLButtonElement>("review"),
  accept: byId<HTMLButtonElement>("accept"),
  discard: byId<HTMLButtonElement>("discard"),
  meters: byId<HTMLElement>("meters"),
  notes: byId<HTMLElement>("notes"),
  restricted: byId<HTMLElement>("restricted"),
  manageTrust: byId<HTMLButtonElement>("manage-trust"),
});
export type SectionElements = ReturnType<typeof sectionElements>;

function renderModel(els: SectionElements, snapshot: PanelSnapshot): void {
  const { model } = snapshot;
  // A first run has no model yet: that is a welcome, not a failure.
  const firstRun = model.state === "none" && !model.name;
  els.modelWelcome.hidden = !firstRun;
  els.modelName.textContent = model.name || "none";
  const busy = model.state === "downloading" || model.state === "loading";
  els.modelProgress.hidden = !busy;
  // An indeterminate bar (no value) when the host cannot say how far it is.
  if (busy && model.progress !== undefined) els.modelProgress.value = model.progress;
  else els.modelProgress.removeAttribute("value");
  els.modelDetail.textContent = [modelStateText(model), model.detail].filter(Boolean).join(" — ");
  els.modelDetail.classList.toggle("error", model.state === "error");
  els.modelFormat.textContent = model.format ?? "";
  els.modelFormat.hidden = !model.format;
}

function renderControls(els: SectionElements, snapshot: PanelSnapshot): void {
  const phase = snapshot.session?.phase;
  const active = phase === "running" || phase === "paused";
  els.start.disabled = active;
  els.pause.disabled = !active;
  els.pause.textContent = phase === "paused" ? "Resume" : "Pause";
  els.stop.disabled = !active;
  els.pickIssue.disabled = active;
  els.pickModel.disabled = active;
  els.welcomePickModel.disabled = active;
  els.chooseModelFile.disabled = active;
  els.status.textContent = sessionStatusText(snapshot.session);
  els.branch.hidden = !snapshot.session;
  els.branch.textContent = snapshot.session ? `Branch ${snapshot.session.branch}` : "";
}

function renderSummary(els: SectionElements, snapshot: PanelSnapshot): void {
  const end = snapshot.session?.end;
  els.summary.hidden = !end;
  els.summary.dataset.outcome = end?.outcome ?? "";
  els.summaryReason.textContent = end ? `${end.outcome === "finished" ? "Finished" : end.outcome === "failed" ? "Failed" : "Stopped"}: ${end.reason}` : "";
  els.summaryText.textContent = end?.summary ?? "";
}

function renderMeters(els: SectionElements, snapshot: PanelSnapshot): void {
  const meters = snapshot.session?.meters;
  els.meters.hidden = !meters;
  if (meters) replaceChildren(els.meters, ...meterRows(meters).map(([label, value]) => h("div", { className: "meter" }, h("dt", {}, label), h("dd", {}, value))));
}

export function renderSections(els: SectionElements, snapshot: PanelSnapshot): void {
  els.restricted.hidden = snapshot.trusted;
  renderModel(els, snapshot);
  renderControls(els, snapshot);
  renderSummary(els, snapshot);
  renderMeters(els, snapshot);
  els.notes.textContent = snapshot.session?.notes || "No notes yet.";
}
