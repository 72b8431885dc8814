// Renders every <div data-chart="ID"> with the Vega-Lite spec in <script type="application/json"
// id="ID">. The expression interpreter (ast: true) keeps Vega within the Content-Security-Policy.
"use strict";

function renderCharts(root) {
  root.querySelectorAll("[data-chart]").forEach((element) => {
    const source = document.getElementById(element.dataset.chart);
    if (!source || element.dataset.rendered) return;
    element.dataset.rendered = "yes";
    const spec = JSON.parse(source.textContent);
    window.vegaEmbed(element, spec, {
      ast: true,
      actions: false,
      renderer: "svg",
      tooltip: false,
      defaultStyle: false,
    }).catch((error) => console.error(error));
  });
}

document.addEventListener("DOMContentLoaded", () => renderCharts(document));
// After any htmx swap, including out-of-band ones, render the charts that are new.
document.addEventListener("htmx:afterSettle", () => renderCharts(document));
document.addEventListener("htmx:oobAfterSwap", () => renderCharts(document));
