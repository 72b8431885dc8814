// Startklar: small progressive enhancements. Loaded as a file, never inline (CSP).
"use strict";

// Copy buttons: <button data-copy="#element-id"> copies that element's text or value.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  const text = "value" in source ? source.value : source.textContent.trim();
  try {
    await navigator.clipboard.writeText(text);
    const label = button.dataset.copiedLabel;
    if (label) {
      const original = button.textContent;
      button.textContent = label;
      setTimeout(() => { button.textContent = original; }, 2000);
    }
  } catch (_error) {
    if (source.select) source.select();
  }
});

// Role selects submit their form as soon as a role is picked (the form also has a button
// for browsers without JavaScript).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.requestSubmit();
});

// Plain forms with data-confirm="question" ask before they are sent.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// A table wider than its box scrolls sideways (.table-responsive); keyboard users reach that
// scrolling too: the box becomes focusable, named after the section it stands in.
function focusableScrollBoxes(root) {
  root.querySelectorAll(".table-responsive").forEach((box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      const section = box.closest("[aria-labelledby]");
      if (section) box.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
    } else if (!scrolls && box.getAttribute("tabindex") === "0" && box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
    }
  });
}
document.addEventListener("DOMContentLoaded", () => focusableScrollBoxes(document));
document.addEventListener("htmx:afterSettle", () => focusableScrollBoxes(document));
window.addEventListener("resize", () => focusableScrollBoxes(document));
// A table inside <details> has no width until it is opened ("toggle" does not bubble).
document.addEventListener("toggle", (event) => focusableScrollBoxes(event.target), true);

// A refused htmx request (409, 403, 5xx …) would otherwise do nothing visible: its short
// plain-text answer, or a general sentence, appears above the page content.
document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  const box = document.getElementById("messages");
  if (!xhr || !box) return;
  const plain = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/plain");
  const english = document.documentElement.lang === "en";
  let text = plain ? xhr.responseText.trim() : "";
  if (!text || text.length > 500) {
    text = english
      ? `That did not work (error ${xhr.status}). Please reload the page and try again.`
      : `Das hat nicht geklappt (Fehler ${xhr.status}). Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.`;
  }
  const alert = document.createElement("div");
  alert.className = "alert alert-danger alert-dismissible fade show";
  alert.setAttribute("role", "alert");
  alert.textContent = text;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "btn-close";
  close.dataset.bsDismiss = "alert";
  close.setAttribute("aria-label", english ? "Close" : "Schließen");
  alert.appendChild(close);
  box.replaceChildren(alert);
  alert.scrollIntoView({ block: "nearest" });
});

// An upload (form[data-upload], sent by htmx) shows how much of the file has gone.
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest && event.target.closest("form[data-upload]");
  const bar = form && form.querySelector("progress");
  if (bar && event.detail.lengthComputable && event.detail.total > 0) {
    bar.hidden = false;
    bar.value = event.detail.loaded / event.detail.total;
  }
});

// A button[data-print] prints the page (slips of codes, a poster).
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
