// The live timeline of steps. Cards are appended as steps finish (never a full re-render), the DOM
// keeps at most `maxCards` of them, and a card's full call and observation are only built when it
// is first opened, so a long session stays light.
import { attachmentElement } from "./attachments";
import { h, replaceChildren } from "./dom";
import { formatCount, formatDiffStat, formatDuration, runningStepText, shortCommit } from "./format";
import type { SessionView, StepCard } from "./protocol";
import type { UiStateStore } from "./uiState";

export class Timeline {
  private sessionId = "";

  constructor(
    private readonly list: HTMLOListElement,
    private readonly earlier: HTMLElement,
    private readonly running: HTMLElement,
    private readonly ui: UiStateStore,
    private readonly maxCards: number,
  ) {}

  /** Rebuild from a whole session (a snapshot, or a new session starting). */
  reset(session: SessionView | null): void {
    this.sessionId = session?.id ?? "";
    replaceChildren(this.list, ...(session?.steps ?? []).slice(-this.maxCards).map((card) => this.cardElement(card)));
    this.update(session);
  }

  /** Add (or replace, when the step is reported again) one finished step. */
  add(card: StepCard, session: SessionView): void {
    const element = this.cardElement(card);
    const existing = this.list.querySelector<HTMLLIElement>(`li[data-step="${card.step}"]`);
    if (existing) existing.replaceWith(element);
    else this.list.append(element);
    while (this.list.children.length > this.maxCards) this.list.firstElementChild?.remove();
    this.update(session);
  }

  /** The "N earlier steps" line and the step in progress. */
  update(session: SessionView | null): void {
    const hiddenSteps = session ? session.earlierSteps + Math.max(0, session.steps.length - this.list.children.length) : 0;
    this.earlier.hidden = hiddenSteps === 0;
    this.earlier.textContent = `${formatCount(hiddenSteps)} earlier ${hiddenSteps === 1 ? "step" : "steps"} (on the session branch)`;
    const step = session?.running;
    this.running.hidden = !step;
    this.running.textContent = step ? runningStepText(step) : "";
  }

  private cardElement(card: StepCard): HTMLLIElement {
    const meta = [card.diffStat && formatDiffStat(card.diffStat), card.commit && shortCommit(card.commit), card.durationMs !== undefined && formatDuration(card.durationMs)].filter(
      (part): part is string => typeof part === "string",
    );
    const details = h(
      "details",
      {},
      h(
        "summary",
        {},
        h("span", { className: "card-head" }, h("span", { className: "step" }, `#${card.step}`), " ", h("span", { className: "tool" }, card.tool), " ", h("span", { className: "args" }, card.keyArgs)),
        h("span", { className: "card-result" }, card.ok ? "" : h("span", { className: "failed-mark" }, "failed: "), card.summary),
        meta.length > 0 && h("span", { className: "card-meta" }, meta.join(" · ")),
      ),
    );
    const sessionId = this.sessionId;
    const fillBody = () => {
      if (details.querySelector(".card-body")) return;
      const part = (title: string, text: string | undefined) => [h("h3", {}, title), h("pre", {}, text ?? "(not recorded)")];
      details.append(h("div", { className: "card-body" }, ...part("Call", card.call), ...part("Observation", card.observation)));
    };
    if (this.ui.isExpanded(sessionId, card.step)) {
      fillBody();
      details.open = true;
    }
    details.addEventListener("toggle", () => {
      if (details.open) fillBody();
      this.ui.setExpanded(sessionId, card.step, details.open);
    });
    return h("li", { className: `card ${card.ok ? "ok" : "failed"}`, attrs: { "data-step": String(card.step) } }, details, card.attachment && attachmentElement(card.attachment));
  }
}
