// Answers the host's `test` requests: act as a user would (type, press, open a card) through the
// same DOM events a user causes, then report what the panel shows. The report is read from the
// rendered DOM, not from the data behind it, so a test sees what the user sees.
import { byId, visibleText } from "./dom";
import type { RenderedView, TestAction } from "./protocol";

const controls = ["start", "pause", "stop", "pick-issue", "pick-model", "welcome-pick-model", "choose-model-file", "review", "accept", "discard", "manage-trust"] as const;

function perform(action: TestAction): void {
  switch (action.kind) {
    case "describe":
      return;
    case "press":
      byId<HTMLButtonElement>(action.control).click();
      return;
    case "typeTask": {
      const task = byId<HTMLTextAreaElement>("task");
      task.value = action.text;
      task.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    case "ctrlEnter":
      byId("task").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true, cancelable: true }));
      return;
    case "toggleCard": {
      // A click on the <summary>, as a mouse or the keyboard (Enter/Space) would give.
      document.querySelector<HTMLElement>(`#timeline li[data-step="${action.step}"] summary`)?.click();
      return;
    }
    case "revealCard":
      document.querySelector<HTMLElement>(`#timeline li[data-step="${action.step}"]`)?.scrollIntoView({ block: "start" });
      return;
  }
}

export function describePanel(): RenderedView {
  const cards = [...document.querySelectorAll<HTMLLIElement>("#timeline > li")].map((li) => {
    const img = li.querySelector<HTMLImageElement>("img.render");
    return {
      step: Number(li.dataset.step),
      text: visibleText(li),
      expanded: li.querySelector("details")?.open ?? false,
      ...(img ? { image: { width: img.naturalWidth, height: img.naturalHeight } } : {}),
    };
  });
  const summary = byId("summary");
  return {
    modelText: visibleText(byId("model-name")) + " " + visibleText(byId("model-detail")),
    modelFormatText: visibleText(byId("model-format")),
    statusText: visibleText(byId("status")),
    taskDraft: byId<HTMLTextAreaElement>("task").value,
    enabled: Object.fromEntries(controls.map((id) => [id, !byId<HTMLButtonElement>(id).disabled])),
    cards,
    earlierText: visibleText(byId("earlier")),
    runningText: visibleText(byId("running")),
    notesText: byId("notes").textContent ?? "",
    metersText: visibleText(byId("meters")),
    summaryText: visibleText(summary),
    summaryVisible: !summary.hidden,
    restrictedText: visibleText(byId("restricted")),
    welcomeText: visibleText(byId("model-welcome")),
    modelError: byId("model-detail").classList.contains("error"),
  };
}

/** Run one action and describe the result after the DOM has settled (toggle events are async). */
export async function runTestAction(action: TestAction): Promise<RenderedView> {
  perform(action);
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return describePanel();
}
