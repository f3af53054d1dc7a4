// Review rounds, progressive enhancement only: text selected in a plan section fills that section's
// "Markerat stycke" field. Without this file the field is an ordinary text field where the passage is pasted.
(() => {
  const MAX = 2000;
  const sourceOf = (node) => {
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return element ? element.closest("[data-quote-source]") : null;
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-quote-source]").forEach((source) => {
      const help = document.getElementById(`${source.dataset.quoteSource}_helptext`);
      if (help) help.textContent = "Valfritt: markera text i avsnittet ovan så fylls fältet i, eller klistra in stycket.";
    });
  });

  let timer;
  document.addEventListener("selectionchange", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const selection = document.getSelection();
      if (!selection || selection.isCollapsed) return;
      // The selection starts in a section; a triple-click may end it just past the section, so keep the part inside.
      const range = selection.getRangeAt(0);
      const source = sourceOf(range.startContainer);
      if (!source) return;
      const inside = range.cloneRange();
      if (!source.contains(range.endContainer)) inside.setEnd(source, source.childNodes.length);
      const text = inside.toString().replace(/\s+/g, " ").trim().slice(0, MAX);
      const field = document.getElementById(source.dataset.quoteSource);
      if (!text || !field || field.value === text) return;
      field.value = text;
      const details = field.closest("details");
      if (details) details.open = true;
      const status = document.getElementById(`${field.id}-status`);
      if (status) status.textContent = "Det markerade stycket är ifyllt i fältet Markerat stycke.";
    }, 400);
  });
})();
