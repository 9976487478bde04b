// What a step card shows beside its text, without being opened: a CAD step's rendered view, or a
// prose step's section outline (heading, lines, words). Built as DOM through `h`, so titles stay text.
import { h } from "./dom";
import type { StepAttachment } from "./protocol";

export function attachmentElement(attachment: StepAttachment): HTMLElement {
  if (attachment.kind === "image") {
    const img = h("img", { className: "render", attrs: { src: attachment.dataUri, width: String(attachment.width), height: String(attachment.height), alt: attachment.caption } });
    return h("figure", { className: "card-attachment" }, img, h("figcaption", { className: "muted" }, attachment.caption));
  }
  const top = Math.min(...attachment.sections.map((s) => s.level), 6);
  const items = attachment.sections.map((s) =>
    h(
      "li",
      { className: `outline-level-${Math.min(6, s.level - top + 1)}` },
      h("span", { className: "outline-title" }, s.title || "(untitled)"),
      " ",
      h("span", { className: "muted" }, `${s.startLine}-${s.endLine} · ${s.words} ${s.words === 1 ? "word" : "words"}`),
    ),
  );
  return h(
    "div",
    { className: "card-attachment outline", attrs: { "aria-label": `Sections of ${attachment.path}` } },
    h("div", { className: "muted" }, attachment.sections.length ? `Sections of ${attachment.path}` : `${attachment.path} has no headings yet`),
    items.length > 0 && h("ol", {}, ...items),
  );
}
