// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so keyboard and screen-reader users hear what to fix.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // Show a progress note on buttons that start slow work (PDF rendering).
  document.querySelectorAll("form[data-slow]").forEach((form) => {
    form.addEventListener("submit", () => {
      const note = form.querySelector("[data-progress]");
      if (note) note.hidden = false;
    });
  });
});
