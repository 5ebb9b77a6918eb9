// ficlens: a little progressive JavaScript; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Dim narration in place, without a page load (the link still works without JS).
  const toggle = document.querySelector(".dim-toggle");
  if (toggle) {
    toggle.addEventListener("click", (event) => {
      event.preventDefault();
      const dim = document.body.classList.toggle("dim");
      toggle.setAttribute("aria-pressed", String(dim));
      toggle.textContent = dim ? "Show narration" : "Dim narration";
      const url = new URL(window.location.href);
      if (dim) url.searchParams.set("dim", "1"); else url.searchParams.delete("dim");
      url.searchParams.delete("hl");
      history.replaceState(null, "", url);
      toggle.href = (() => { const u = new URL(url); if (dim) u.searchParams.delete("dim"); else u.searchParams.set("dim", "1"); return u.pathname + u.search; })();
    });
  }
  // Choosing a chapter opens it.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  // Ask before deleting.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
  // Say that an analysis is running (it takes a few seconds for a long story).
  const analyse = document.querySelector("form.analyse");
  if (analyse) {
    analyse.addEventListener("submit", () => {
      const busy = analyse.querySelector(".busy");
      if (busy) busy.hidden = false;
    });
  }
  // Bring the highlighted evidence into view.
  const highlight = document.getElementById("hl");
  if (highlight) highlight.focus({ preventScroll: false });
});
