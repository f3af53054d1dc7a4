// Progressive enhancement only: a warning before leaving a page with text that is not saved.
// A POST form becomes "dirty" on input; submitting it clears it (the server saves it, or shows it again with the
// errors). A form the server showed again without saving it (data-unsaved, or a field marked aria-invalid) starts
// dirty. Leaving the page while any form is dirty asks first (the browser's own beforeunload question).
(() => {
  const dirty = new Set();
  const tracked = (form) => form && (form.getAttribute("method") || "get").toLowerCase() === "post"
    && !form.hasAttribute("data-no-unsaved-warning");
  const mark = (event) => {
    const form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (tracked(form)) dirty.add(form);
  };
  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  document.addEventListener("submit", (event) => {
    if (!event.defaultPrevented) dirty.delete(event.target);
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty.size === 0) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to ask
  });
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form").forEach((form) => {
      if (tracked(form) && (form.hasAttribute("data-unsaved") || form.querySelector("[aria-invalid='true']"))) {
        dirty.add(form);
      }
    });
  });
})();
