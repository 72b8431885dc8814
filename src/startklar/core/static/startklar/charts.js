// Renders every <div data-chart="ID"> with the Vega-Lite spec in <script type="application/json"
// id="ID">. The expression interpreter (ast: true) keeps Vega within the Content-Security-Policy.
//
// Numbers and dates follow the page language (<html lang>): 90.000 € and "Februar 2027" in
// German, €90,000 and "February 2027" in English. Charts are as wide as their box
// (width: "container" in the spec) and follow it when it changes size. A spec with
// usermeta.aspectRatio keeps its plot that shape (the radar stays round).
"use strict";

(() => {
  const LOCALES = {
    de: {
      number: { decimal: ",", thousands: ".", grouping: [3], currency: ["", "\u00a0€"], percent: "\u00a0%" },
      time: {
        dateTime: "%A, %e. %B %Y, %X",
        date: "%d.%m.%Y",
        time: "%H:%M:%S",
        periods: ["AM", "PM"],
        days: ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
        shortDays: ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        months: ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"],
        shortMonths: ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
      },
    },
    en: {
      number: { decimal: ".", thousands: ",", grouping: [3], currency: ["€", ""] },
      time: {
        dateTime: "%A, %e %B %Y, %X",
        date: "%d/%m/%Y",
        time: "%H:%M:%S",
        periods: ["AM", "PM"],
        days: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        shortDays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        months: ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"],
        shortMonths: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
      },
    },
  };

  function locale() {
    const lang = (document.documentElement.lang || "de").toLowerCase();
    return lang.startsWith("en") ? LOCALES.en : LOCALES.de;
  }

  // A chart keeps the plot's width-to-height ratio: Vega fits the plot into the box's width
  // (autosize fit-x), then the height follows the plot's width.
  function keepAspect(view, ratio) {
    const follow = () => view.runAfter(() => {
      const height = Math.round(view.width() / ratio);
      if (height > 0 && Math.abs(view.height() - height) > 1) view.height(height).runAsync();
    });
    view.addSignalListener("width", follow);
    follow();
  }

  // Vega-Lite re-sizes "container" charts on window resize; this also catches a box that changes
  // width on its own (a column that wraps, a panel that opens).
  const observer = "ResizeObserver" in window ? new ResizeObserver((entries) => {
    entries.forEach((entry) => {
      const element = entry.target;
      const width = Math.floor(entry.contentRect.width);
      if (!element.chartView || width === element.chartWidth || width <= 0) return;
      element.chartWidth = width;
      window.clearTimeout(element.chartTimer);
      element.chartTimer = window.setTimeout(() => {
        if (element.isConnected) element.chartView.signal("width", width).runAsync();
      }, 50);
    });
  }) : null;

  function renderCharts(root) {
    const { number, time } = locale();
    root.querySelectorAll("[data-chart]").forEach((element) => {
      const source = document.getElementById(element.dataset.chart);
      if (!source || element.dataset.rendered) return;
      element.dataset.rendered = "yes";
      const spec = JSON.parse(source.textContent);
      // Vega labels its container as a "graphics-document" described by the spec; the page's
      // role="img" and aria-label (the chart in words, a table beside it) stay what they are.
      const role = element.getAttribute("role");
      const label = element.getAttribute("aria-label");
      if (label) spec.description = label;
      window.vegaEmbed(element, spec, {
        ast: true,
        actions: false,
        renderer: "svg",
        defaultStyle: false,
        formatLocale: number,
        timeFormatLocale: time,
        // The tooltip's look lives in app.css (#vg-tooltip-element): no inline <style>.
        tooltip: { disableDefaultStyle: true, offsetX: 12, offsetY: 12 },
      }).then(({ view }) => {
        // The box's role="img" and aria-label (with the table beside the chart) say what the
        // chart shows. The specs' aria: false still leaves roles on the mark containers, so the
        // drawing as a whole is hidden from assistive technology.
        element.querySelectorAll("svg").forEach((svg) => svg.setAttribute("aria-hidden", "true"));
        if (role) element.setAttribute("role", role);
        if (label) element.setAttribute("aria-label", label);
        element.removeAttribute("aria-roledescription");
        const ratio = spec.usermeta && spec.usermeta.aspectRatio;
        if (ratio) keepAspect(view, ratio);
        if (spec.width === "container" && observer) {
          element.chartView = view;
          element.chartWidth = Math.floor(element.getBoundingClientRect().width);
          observer.observe(element);
        }
      }).catch((error) => console.error(error));
    });
  }

  document.addEventListener("DOMContentLoaded", () => renderCharts(document));
  // After any htmx swap, including out-of-band ones, render the charts that are new.
  document.addEventListener("htmx:afterSettle", () => renderCharts(document));
  document.addEventListener("htmx:oobAfterSwap", () => renderCharts(document));
})();
