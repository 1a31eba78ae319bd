// The drawdown dashboard: draws the page model (`dashboard::View`) as a map with a day
// slider, burn-down charts, a Gantt of site withdrawals, tables and the what-if panel.
//
// Served (`drawdown serve`), the page loads the model from /api/view and the borders from
// /assets/borders.geojson, and posts what-ifs to /api/whatif. In the self-contained report
// (`drawdown report`) both are inlined as `window.DRAWDOWN` and the what-if panel is
// hidden. Nothing is ever loaded from the internet.
"use strict";

// Script errors are kept for the end-to-end tests, which print them when a page fails.
window.__errors = [];
window.addEventListener("error", (e) => window.__errors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason)));

const BOOT = window.DRAWDOWN || { mode: "server" };
const NUM = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const PHASE_COLOURS = ["#2b6cb0", "#2f855a", "#b7791f", "#805ad5", "#c05621"];
const HAZARD_COLOURS = ["#8a9bb0", "#d6a419", "#e3741b", "#c53030"];
const HAZARD_NAMES = ["none", "low", "medium", "high"];
const TABLE_LIMIT = 250;

// Everything the page shows comes from `state.view()`: the base plan, or the what-if
// plan while the user looks at it.
const state = {
  base: null,
  whatif: null, // { view, diff, elapsed_ms } of the last applied what-if
  showWhatif: false,
  step: 0,
  borders: null,
  view() {
    return this.showWhatif && this.whatif ? this.whatif.view : this.base;
  },
};

// ---------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------

/** Create an element: el("td", {class: "num"}, "12"). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

const num = (x) => (x === null || x === undefined ? "–" : NUM.format(x));
const byId = (list) => Object.fromEntries(list.map((x) => [x.id, x]));

/** "2023-08-25" as "25 Aug 2023". */
function longDate(iso) {
  if (!iso) return "–";
  const d = new Date(iso + "T00:00:00Z");
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** "2023-08-25" as "25 Aug". */
function shortDate(iso) {
  if (!iso) return "–";
  const d = new Date(iso + "T00:00:00Z");
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

/** The date `n` days after `iso`. */
function addDays(iso, n) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function getJSON(url, options) {
  const r = await fetch(url, options);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(`HTTP ${r.status}`), { body });
  return body;
}

/** The stock a site holds on the morning of step k (0 for exits). */
function held(view, id, k) {
  const s = view.burndown.sites.find((x) => x.id === id);
  if (!s) return null;
  return { personnel: s.personnel[k], teu: s.teu[k], vehicles: s.vehicles[k] };
}

// ---------------------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------------------

function renderHeader(view) {
  const s = view.scenario;
  const p = view.plan;
  document.title = `${s.name} – drawdown`;
  document.getElementById("title").replaceChildren(el("span", {},
    el("span", { class: "name" }, s.name),
    el("span", { class: "dates" }, `${longDate(s.start)} – ${longDate(s.end)}`),
    state.showWhatif ? el("span", { class: "badge whatif" }, "what-if plan") : null,
  ));
  const late = p.sites.filter((x) => x.late_days > 0).length;
  const figures = [
    ["Objective", num(p.objective), p.gap === null ? "no bound computed" : `gap to bound ${(100 * p.gap).toFixed(1)}%`],
    ["Sites late", `${late} of ${p.sites.length}`, `${num(p.totals.late_days)} late days in total`],
    ["Last arrival", `day ${num(p.totals.makespan_days)}`, `at an exit, ${longDate(addDays(s.start, p.totals.makespan_days))}`],
    ["Convoy legs", num(p.totals.convoys), `${num(p.totals.unit_km)} unit-km`],
    ["Sorties", num(p.totals.sorties), `${num(p.totals.flight_hours)} flight hours`],
    ["Exposure", num(p.totals.exposure), "hazard × vehicle-km"],
  ];
  document.getElementById("figures").replaceChildren(
    ...figures.map(([label, value, note]) =>
      el("div", { class: "figure" + (label === "Sites late" && late > 0 ? " bad" : "") },
        el("div", { class: "label" }, label),
        el("div", { class: "value" }, value),
        el("div", { class: "note" }, note))),
  );
}

// ---------------------------------------------------------------------------------------
// Map
// ---------------------------------------------------------------------------------------

const map = {
  leaflet: null,
  layers: null, // roads, sites and movements of the current view and step
};

function initMap() {
  map.leaflet = L.map("map", {
    zoomSnap: 0.25,
    attributionControl: false,
    preferCanvas: false,
    fadeAnimation: false,
    zoomAnimation: false,
    markerZoomAnimation: false,
  });
  L.geoJSON(state.borders, {
    style: (f) => ({
      color: "#a39e93",
      weight: 0.8,
      fillColor: f.properties.name === "Mali" ? "#fbf8f1" : "#efebe2",
      fillOpacity: 1,
    }),
    interactive: false,
  }).addTo(map.leaflet);
  // Country names at their label points keep the map readable without tiles.
  for (const f of state.borders.features) {
    const c = L.geoJSON(f).getBounds().getCenter();
    L.marker(c, {
      icon: L.divIcon({ className: "country-label", html: f.properties.name, iconSize: null }),
      interactive: false,
      keyboard: false,
    }).addTo(map.leaflet);
  }
  map.layers = L.layerGroup().addTo(map.leaflet);
  map.legend = document.getElementById("map-legend");
}

/** A site's name without its parenthetical, for labels on the map. */
const shortName = (name) => name.split(/\s*[(,]/)[0];

function fitMap(view) {
  const pts = view.scenario.sites.map((s) => [s.lat, s.lon]);
  map.leaflet.fitBounds(L.latLngBounds(pts).pad(0.08));
}

/** Site status on the morning of step k. */
function siteStatus(view, site, plan, k) {
  if (site.kind === "exit") return "exit";
  const h = held(view, site.id, k);
  const stock = h ? h.personnel + h.teu + h.vehicles : 0;
  if (stock === 0) return plan && plan.closure_period !== null && k > plan.closure_period ? "closed" : "empty";
  if (plan && plan.deadline_period !== null && k > plan.deadline_period) return "late";
  if (plan && plan.first_departure_period !== null && k > plan.first_departure_period) return "withdrawing";
  return "open";
}

function dateRangeHas(r, iso) {
  return r.from <= iso && iso <= r.until;
}

function renderMap(view) {
  const k = state.step;
  const today = view.burndown.dates[k];
  const sites = byId(view.scenario.sites);
  const plans = byId(view.plan.sites);
  map.layers.clearLayers();

  for (const r of view.scenario.roads) {
    const a = sites[r.from], b = sites[r.to];
    const closed = r.closed.some((c) => dateRangeHas(c, today));
    L.polyline([[a.lat, a.lon], [b.lat, b.lon]], {
      color: closed ? "#1a202c" : HAZARD_COLOURS[r.hazard],
      weight: closed ? 3 : 2 + r.hazard * 0.7,
      opacity: 0.85,
      dashArray: closed ? "6 5" : null,
      className: "road" + (closed ? " closed" : ""),
    })
      .bindTooltip(`${r.id}: ${num(r.km)} km, ${r.days} d, hazard ${HAZARD_NAMES[r.hazard]}` +
        (r.escort ? ", escort" : "") + (closed ? " – CLOSED today" : ""), { sticky: true })
      .addTo(map.layers);
  }

  // Movements on the road or in the air during day k, drawn part way along.
  const underway = (m) => m.depart_period <= k && k < m.arrive_period;
  for (const c of view.plan.convoys.filter(underway)) {
    const a = sites[c.from], b = sites[c.to];
    const t = (k - c.depart_period + 0.5) / (c.arrive_period - c.depart_period);
    const units = Object.values(c.units).reduce((x, y) => x + y, 0) + c.vehicles;
    L.circleMarker([a.lat + (b.lat - a.lat) * t, a.lon + (b.lon - a.lon) * t], {
      radius: 3 + Math.min(5, Math.sqrt(units) / 2),
      color: "#1a365d",
      weight: 1.5,
      fillColor: c.kind === "loaded" ? "#1a365d" : "#ffffff",
      fillOpacity: 1,
      className: "convoy",
    })
      .bindTooltip(`${c.id} ${c.from} → ${c.to}: ${num(units)} vehicles, ${num(c.personnel)} personnel, ${num(c.teu)} TEU`)
      .addTo(map.layers);
  }
  for (const f of view.plan.flights.filter(underway)) {
    const a = sites[f.from], b = sites[f.to];
    L.polyline([[a.lat, a.lon], [b.lat, b.lon]], {
      color: "#3182ce", weight: 1.5, dashArray: "2 5", opacity: 0.9, className: "flight",
    }).addTo(map.layers);
    L.marker([(a.lat + b.lat) / 2, (a.lon + b.lon) / 2], {
      icon: L.divIcon({ className: "plane", html: "✈", iconSize: [16, 16] }),
    })
      .bindTooltip(`${f.id} ${f.aircraft} ×${f.sorties} ${f.from} → ${f.to}: ${num(f.personnel)} personnel, ${num(f.teu)} TEU`)
      .addTo(map.layers);
  }

  const counts = {};
  for (const s of view.scenario.sites) {
    const plan = plans[s.id];
    const status = siteStatus(view, s, plan, k);
    counts[status] = (counts[status] || 0) + 1;
    const h = held(view, s.id, k);
    const label = s.kind === "exit" ? `${s.name} (exit)` :
      `${s.name}: ${num(h.personnel)} pers, ${num(h.teu)} TEU` +
      (plan && plan.deadline ? `, deadline ${shortDate(plan.deadline)}` : "");
    if (s.kind === "exit") {
      L.marker([s.lat, s.lon], {
        icon: L.divIcon({ className: "exit-marker", iconSize: [12, 12] }),
      }).bindTooltip(label).on("click", () => showConvoysOf(s.id)).addTo(map.layers);
    } else {
      const stock = h.personnel + h.teu;
      const colour = s.phase ? PHASE_COLOURS[(s.phase - 1) % PHASE_COLOURS.length] : "#4a5568";
      L.circleMarker([s.lat, s.lon], {
        radius: status === "closed" || status === "empty" ? 5 : 6 + Math.sqrt(stock) / 9,
        color: status === "late" ? "#c53030" : status === "closed" ? "#718096" : "#1a202c",
        weight: status === "late" ? 3.5 : 1.2,
        dashArray: status === "closed" ? "2 2" : null,
        fillColor: status === "closed" || status === "empty" ? "#e2e8f0" : colour,
        fillOpacity: status === "withdrawing" ? 0.55 : 0.85,
        className: `site status-${status} site-${s.id}`,
      }).bindTooltip(label).on("click", () => showConvoysOf(s.id)).addTo(map.layers);
    }
    L.marker([s.lat, s.lon], {
      // Exit labels go below their marker: exits often stand next to a camp (an airport
      // by its town) whose label takes the right-hand side.
      icon: L.divIcon({
        className: "site-label" + (s.kind === "exit" ? " exit" : ""),
        html: shortName(s.name),
        iconSize: null,
        iconAnchor: s.kind === "exit" ? [-4, -8] : [-9, 7],
      }),
      interactive: false,
    }).addTo(map.layers);
  }

  renderLegend(view, counts);
  const b = view.burndown.plan;
  const onRoad = view.plan.convoys.filter(underway).length;
  const inAir = view.plan.flights.filter(underway).length;
  document.getElementById("day-label").textContent = `· ${longDate(today)}`;
  document.getElementById("day-date").textContent = `Day ${k * view.scenario.period_days} · ${longDate(today)}`;
  document.getElementById("day-summary").replaceChildren(
    el("span", { class: "stat" }, el("b", {}, num(b.personnel[k])), " personnel"),
    el("span", { class: "stat" }, el("b", {}, num(b.teu[k])), " TEU"),
    el("span", { class: "stat" }, el("b", {}, num(b.vehicles[k])), " vehicles in theatre"),
    el("span", { class: "stat" }, el("b", { id: "convoys-today" }, num(onRoad)), " convoys on the road"),
    el("span", { class: "stat" }, el("b", {}, num(inAir)), " flights"),
    el("span", { class: "stat" }, el("b", { id: "sites-closed" }, num(counts.closed || 0)), " sites closed"),
    el("span", { class: "stat" + (counts.late ? " bad" : "") }, el("b", { id: "sites-late" }, num(counts.late || 0)), " late"),
  );
}

/** Clicking a site lists its convoys: the convoy table filtered to it, scrolled to. The
 * report has no filters (it prints every row), so there a click does nothing. */
function showConvoysOf(id) {
  if (BOOT.mode === "report") return;
  const select = document.querySelector("#convoy-filters [name=site]");
  if (!select || ![...select.options].some((o) => o.value === id)) return;
  select.value = id;
  select.dispatchEvent(new Event("change"));
  document.getElementById("convoys-panel").scrollIntoView({ behavior: "smooth" });
}

function renderLegend(view, counts) {
  const phases = [...new Set(view.scenario.sites.map((s) => s.phase).filter((p) => p))].sort();
  const phaseDeadline = (p) => view.scenario.sites.find((s) => s.phase === p).deadline;
  const dot = (style) => el("span", { class: "swatch", style });
  const item = (swatch, text) => el("span", { class: "item" }, swatch, text);
  map.legend.replaceChildren(
    el("div", { class: "group" }, el("span", { class: "legend-title" }, "Sites"),
      ...phases.map((p) => item(dot(`background:${PHASE_COLOURS[(p - 1) % PHASE_COLOURS.length]}`), `phase ${p} (${shortDate(phaseDeadline(p))})`)),
      item(dot("background:#a0aec0;opacity:0.6"), "paler: withdrawing"),
      item(dot("background:#fff;border:3px solid #c53030"), `late (${counts.late || 0})`),
      item(dot("background:#e2e8f0;border:1px dashed #718096"), `closed (${counts.closed || 0})`),
      item(el("span", { class: "swatch square" }), "exit")),
    el("div", { class: "group" }, el("span", { class: "legend-title" }, "Roads by hazard"),
      ...HAZARD_NAMES.map((n, i) => item(el("span", { class: "line", style: `background:${HAZARD_COLOURS[i]}` }), n)),
      item(el("span", { class: "line closed" }), "closed")),
    el("div", { class: "group" }, el("span", { class: "legend-title" }, "Movements"),
      item(dot("background:#1a365d"), "convoy"),
      item(dot("background:#fff;border:1.5px solid #1a365d"), "empty convoy"),
      item(el("span", { class: "plane-key" }, "✈"), "flight")),
  );
}

function initSlider(view) {
  const slider = document.getElementById("day");
  slider.max = view.scenario.periods;
  slider.value = state.step;
  slider.oninput = () => setStep(+slider.value);
  const play = document.getElementById("play");
  let timer = null;
  play.onclick = () => {
    if (timer) {
      clearInterval(timer);
      timer = null;
      play.textContent = "▶";
      return;
    }
    if (state.step >= view.scenario.periods) setStep(0);
    play.textContent = "❚❚";
    timer = setInterval(() => {
      if (state.step >= state.view().scenario.periods) {
        play.click();
      } else setStep(state.step + 1);
    }, 120);
  };
}

function setStep(k) {
  state.step = k;
  document.getElementById("day").value = k;
  renderMap(state.view());
  for (const c of charts.list) c.redraw(false, false);
}

// ---------------------------------------------------------------------------------------
// Burn-down charts
// ---------------------------------------------------------------------------------------

const charts = { list: [] };

function chartWidth(id) {
  const w = document.getElementById(id).clientWidth;
  return Math.max(320, w || 600);
}

function renderBurndown(view) {
  for (const c of charts.list) c.destroy();
  charts.list = [];
  const b = view.burndown;
  const xs = b.dates.map((d) => Date.parse(d + "T00:00:00Z") / 1000);
  // Each phase's deadline, labelled with the phase.
  const deadlines = [...new Map(view.plan.sites.filter((s) => s.deadline).map((s) => [s.deadline, s.phase]))];
  const compare = state.whatif && !state.showWhatif ? state.whatif.view.burndown : null;
  const base = state.whatif && state.showWhatif ? state.base.burndown : null;
  const panels = [["burn-personnel", "personnel", "Personnel"], ["burn-teu", "teu", "Containers (TEU)"], ["burn-vehicles", "vehicles", "Vehicles"]];
  for (const [id, key, title] of panels) {
    const data = [xs, b.plan[key]];
    const series = [{}, { label: state.showWhatif ? "What-if plan" : "Plan", stroke: "#2b6cb0", width: 2.5 }];
    const bands = [];
    // The simulation reports personnel and containers only.
    if (b.fan && b.fan[key]) {
      const band = b.fan[key];
      data.push(band.p90, band.p50, band.p10);
      series.push(
        { label: "Simulated P90", stroke: "rgba(221,107,32,0.5)", width: 1 },
        { label: "Simulated median", stroke: "#dd6b20", width: 1.5, dash: [6, 4] },
        { label: "Simulated P10", stroke: "rgba(221,107,32,0.5)", width: 1 },
      );
      bands.push({ series: [data.length - 3, data.length - 1], fill: "rgba(221,107,32,0.14)" });
    }
    if (b.actual) {
      const a = b.actual[key];
      data.push(xs.map((_, i) => (i < a.length ? a[i] : null)));
      series.push({ label: "Actual", stroke: "#1a202c", width: 2.5 });
    }
    const other = compare || base;
    if (other) {
      data.push(other.plan[key]);
      series.push({ label: compare ? "What-if plan" : "Base plan", stroke: "#9b2c2c", width: 2, dash: [8, 4] });
    }
    // Stock is counted on the morning of each day and held until the next: steps.
    for (const x of series.slice(1)) {
      x.paths = uPlot.paths.stepped({ align: 1 });
      x.points = { show: false };
    }
    const opts = {
      title,
      width: chartWidth(id),
      height: 190,
      series,
      bands,
      scales: { x: { time: true } },
      axes: [
        { stroke: "#4a5568", grid: { stroke: "#edf2f7" }, size: 32, values: (u, splits) => splits.map(axisDate) },
        { stroke: "#4a5568", grid: { stroke: "#edf2f7" }, size: 60, values: (u, v) => v.map((x) => num(x)) },
      ],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        draw: [(u) => drawMarkers(u, xs, deadlines)],
      },
    };
    const target = document.getElementById(id);
    target.replaceChildren();
    charts.list.push(new uPlot(opts, data, target));
  }
}

/** An axis tick: "Aug" on the first of a month ("Jan 2024" in January), else "3 Aug". */
function axisDate(ts) {
  const d = new Date(ts * 1000);
  const month = d.toLocaleDateString("en-GB", { month: "short", timeZone: "UTC" });
  if (d.getUTCDate() !== 1) return `${d.getUTCDate()} ${month}`;
  return d.getUTCMonth() === 0 ? `${month} ${d.getUTCFullYear()}` : month;
}

/** Deadlines as dotted red lines and the slider's day as a solid line. */
function drawMarkers(u, xs, deadlines) {
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  const line = (x, colour, dash, width) => {
    const px = Math.round(u.valToPos(x, "x", true));
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = width * devicePixelRatio;
    ctx.setLineDash(dash.map((d) => d * devicePixelRatio));
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, top + height);
    ctx.stroke();
    ctx.restore();
  };
  for (const [d, phase] of deadlines) {
    const x = Date.parse(d + "T00:00:00Z") / 1000 + 86400;
    line(x, "#c53030", [3, 3], 1);
    ctx.save();
    ctx.fillStyle = "#c53030";
    ctx.font = `${11 * devicePixelRatio}px sans-serif`;
    ctx.textAlign = "right";
    ctx.fillText(`P${phase}`, Math.round(u.valToPos(x, "x", true)) - 3 * devicePixelRatio, top + 11 * devicePixelRatio);
    ctx.restore();
  }
  line(xs[state.step], "#1a202c", [], 1);
}

// ---------------------------------------------------------------------------------------
// Gantt of site withdrawals
// ---------------------------------------------------------------------------------------

function renderGantt(view) {
  const target = document.getElementById("gantt");
  target.replaceChildren();
  const rows = view.plan.sites
    .filter((s) => s.closure)
    .sort((a, b) => (a.deadline || "9").localeCompare(b.deadline || "9") || a.closure.localeCompare(b.closure));
  if (rows.length === 0) {
    target.append(el("p", { class: "muted" }, "No site holds stock."));
    return;
  }
  const pd = view.scenario.period_days;
  const tasks = rows.map((s) => ({
    id: s.id,
    name: `${s.name}${s.late_days > 0 ? ` (+${s.late_days} d)` : ""}`,
    start: s.first_departure || view.scenario.start,
    // frappe-gantt draws a date-only end inclusively: the bar ends with the last day of
    // the closure period.
    end: addDays(s.closure, pd - 1),
    progress: 0,
    custom_class: s.late_days > 0 ? "late" : `phase-${s.phase || 0}`,
  }));
  // Columns of one week, as wide as the panel allows for the weeks the bars and the
  // deadlines span (plus frappe-gantt's padding of one week before and two after).
  const span = tasks.flatMap((t) => [t.start, t.end]).concat(rows.map((s) => s.deadline).filter((d) => d)).map((d) => Date.parse(d));
  const weeks = Math.ceil((Math.max(...span) - Math.min(...span)) / 864e5 / 7) + 4;
  const width = Math.max(600, target.clientWidth || 900) - 4;
  const gantt = new Gantt(target, tasks, {
    view_mode: "Week",
    view_modes: [{
      name: "Week",
      padding: ["7d", "14d"],
      step: "7d",
      date_format: "YYYY-MM-DD",
      column_width: Math.floor(width / weeks),
      lower_text: (d) => String(d.getDate()),
      upper_text: (d, ld) => (!ld || d.getMonth() !== ld.getMonth() ? d.toLocaleDateString("en-GB", { month: "long" }) : ""),
      upper_text_frequency: 4,
      thick_line: (d) => d.getDate() <= 7,
    }],
    bar_height: 20,
    padding: 12,
    readonly: true,
    infinite_padding: false,
    today_button: false,
    scroll_to: "start",
    holidays: {},
    popup_on: "hover",
    popup: (ctx) => {
      const s = rows.find((r) => r.id === ctx.task.id);
      ctx.set_title(s.name);
      ctx.set_subtitle(`phase ${s.phase || "–"}`);
      ctx.set_details(`first departure ${longDate(s.first_departure)}<br>closure ${longDate(s.closure)}<br>deadline ${longDate(s.deadline)}` +
        (s.late_days ? `<br><b>${s.late_days} days late</b>` : ""));
    },
  });
  drawDeadlines(gantt, rows);
}

/** Each site's deadline as a red tick across its row; frappe-gantt has no markers. */
function drawDeadlines(gantt, rows) {
  const ns = "http://www.w3.org/2000/svg";
  const { column_width, step, unit } = gantt.config;
  const start = gantt.gantt_start;
  for (const bar of gantt.bars) {
    const s = rows.find((r) => r.id === bar.task.id);
    if (!s || !s.deadline) continue;
    const end = new Date(s.deadline + "T00:00:00");
    end.setDate(end.getDate() + 1);
    const days = (end - start) / 864e5;
    const stepDays = unit === "day" ? step : step * 7;
    const x = (days / stepDays) * column_width;
    const y = bar.$bar.getY();
    const h = bar.$bar.getHeight();
    const tick = document.createElementNS(ns, "line");
    tick.setAttribute("x1", x);
    tick.setAttribute("x2", x);
    tick.setAttribute("y1", y - 4);
    tick.setAttribute("y2", y + h + 4);
    tick.setAttribute("class", "deadline-tick");
    bar.group.append(tick);
  }
}

// ---------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------

function table(target, columns, rows, total) {
  const head = el("tr", {}, ...columns.map(([title, , cls]) => el("th", { class: cls }, title)));
  const body = rows.map((r) => el("tr", { class: r._class }, ...columns.map(([, f, cls]) => el("td", { class: cls }, f(r)))));
  const note = total > rows.length ? `Showing ${num(rows.length)} of ${num(total)}; narrow the filters to see the rest.` : `${num(total)} row${total === 1 ? "" : "s"}`;
  target.replaceChildren(el("caption", {}, note), el("thead", {}, head), el("tbody", {}, ...body));
}

function renderSites(view) {
  const sites = byId(view.scenario.sites);
  const rows = [...view.plan.sites].sort((a, b) => (a.deadline || "9").localeCompare(b.deadline || "9") || a.name.localeCompare(b.name));
  const diff = state.whatif ? byId(state.whatif.diff.sites) : {};
  const cols = [
    ["Site", (s) => s.name],
    ["Phase", (s) => s.phase || "–", "num"],
    ["Personnel", (s) => num(sites[s.id].holdings.personnel), "num"],
    ["TEU", (s) => num(sites[s.id].holdings.teu), "num"],
    ["Vehicles", (s) => num(sites[s.id].holdings.vehicles), "num"],
    ["First departure", (s) => shortDate(s.first_departure)],
    ["Closure", (s) => shortDate(s.closure)],
    ["Deadline", (s) => shortDate(s.deadline)],
    ["Late days", (s) => (s.late_days ? el("b", { class: "bad" }, s.late_days) : "0"), "num"],
  ];
  table(document.getElementById("sites-table"), cols, rows.map((r) => ({ ...r, _class: diff[r.id] && diff[r.id].delta_days ? "changed" : null })), rows.length);
}

/** A filter bar of select and date inputs; calls `apply` with the values on change. */
function filterBar(target, fields, apply) {
  const inputs = {};
  const parts = fields.map(([key, label, options]) => {
    const input = options ? el("select", { name: key }, el("option", { value: "" }, "all"), ...options.map(([v, t]) => el("option", { value: v }, t))) :
      el("input", { type: "date", name: key });
    input.addEventListener("change", () => apply(values()));
    inputs[key] = input;
    return el("label", {}, label, " ", input);
  });
  const values = () => Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value]));
  target.replaceChildren(...parts);
  return values;
}

function renderMovementTables(view) {
  const sites = view.scenario.sites;
  const name = Object.fromEntries(sites.map((s) => [s.id, s.name]));
  const inDates = (m, f) => (!f.from || m.arrive >= f.from) && (!f.until || m.depart <= f.until);

  const convoyCols = [
    ["Id", (c) => c.id],
    ["Depart", (c) => shortDate(c.depart)],
    ["Arrive", (c) => shortDate(c.arrive)],
    ["From", (c) => name[c.from]],
    ["To", (c) => name[c.to]],
    ["Units", (c) => Object.entries(c.units).map(([f, n]) => `${n} ${f}`).join(", ")],
    ["Personnel", (c) => num(c.personnel), "num"],
    ["TEU", (c) => num(c.teu), "num"],
    ["Vehicles", (c) => num(c.vehicles), "num"],
  ];
  const showConvoys = (f) => {
    const rows = view.plan.convoys.filter((c) =>
      (!f.site || c.from === f.site || c.to === f.site) && (!f.kind || c.kind === f.kind) && inDates(c, f));
    table(document.getElementById("convoys-table"), convoyCols, rows.slice(0, limit()), rows.length);
  };
  const convoySites = sites.filter((s) => view.scenario.roads.some((r) => r.from === s.id || r.to === s.id));
  const cf = filterBar(document.getElementById("convoy-filters"), [
    ["site", "Site", convoySites.map((s) => [s.id, s.name])],
    ["kind", "Kind", [["loaded", "loaded"], ["empty", "empty (return)"]]],
    ["from", "From"],
    ["until", "Until"],
  ], showConvoys);
  showConvoys(cf());

  const flightCols = [
    ["Id", (f) => f.id],
    ["Depart", (f) => shortDate(f.depart)],
    ["Arrive", (f) => shortDate(f.arrive)],
    ["Aircraft", (f) => f.aircraft],
    ["Sorties", (f) => num(f.sorties), "num"],
    ["From", (f) => name[f.from]],
    ["To", (f) => name[f.to]],
    ["Personnel", (f) => num(f.personnel), "num"],
    ["TEU", (f) => num(f.teu), "num"],
  ];
  const showFlights = (f) => {
    const rows = view.plan.flights.filter((x) => (!f.airfield || x.from === f.airfield || x.to === f.airfield) && inDates(x, f));
    table(document.getElementById("flights-table"), flightCols, rows.slice(0, limit()), rows.length);
  };
  const ff = filterBar(document.getElementById("flight-filters"), [
    ["airfield", "Airfield", sites.filter((s) => s.airfield).map((s) => [s.id, s.name])],
    ["from", "From"],
    ["until", "Until"],
  ], showFlights);
  showFlights(ff());
}

/** The report prints every row; the live page keeps the tables short. */
const limit = () => (BOOT.mode === "report" ? Infinity : TABLE_LIMIT);

// ---------------------------------------------------------------------------------------
// Explanation
// ---------------------------------------------------------------------------------------

function renderExplanation(view) {
  const panel = document.getElementById("explain-panel");
  panel.hidden = !view.explanation;
  if (!view.explanation) return;
  document.getElementById("explain").replaceChildren(explainValue(view.explanation, 0));
}

/** A generic rendering of the explanation's JSON: text as paragraphs, lists of records
 * as tables, records as definition lists. */
function explainValue(v, depth) {
  if (v === null || typeof v !== "object") return el("span", {}, typeof v === "number" ? num(v) : String(v));
  if (Array.isArray(v)) {
    if (v.length && v.every((x) => x && typeof x === "object" && !Array.isArray(x))) {
      const keys = [...new Set(v.flatMap(Object.keys))];
      return el("table", { class: "data" }, el("thead", {}, el("tr", {}, ...keys.map((k) => el("th", {}, k.replaceAll("_", " "))))),
        el("tbody", {}, ...v.map((r) => el("tr", {}, ...keys.map((k) => el("td", {}, r[k] === undefined ? "" : explainValue(r[k], depth + 1)))))));
    }
    return el("ul", {}, ...v.map((x) => el("li", {}, explainValue(x, depth + 1))));
  }
  return el("dl", {}, ...Object.entries(v).flatMap(([k, x]) => [el("dt", {}, k.replaceAll("_", " ")), el("dd", {}, explainValue(x, depth + 1))]));
}

// ---------------------------------------------------------------------------------------
// What-if
// ---------------------------------------------------------------------------------------

const WHATIF_KINDS = {
  close_road: { label: "Close a road", fields: ["road", "from", "until"] },
  close_site: { label: "Close a site or border", fields: ["site", "from", "until"] },
  refuse_flights: { label: "Refuse flights at an airfield", fields: ["airfield", "from", "until"] },
  fleet_size: { label: "Change a fleet's size", fields: ["fleet", "units"] },
  deadline: { label: "Move a deadline", fields: ["site", "date"] },
};

const FIELD_LABELS = {
  road: "Road", site: "Site", airfield: "Airfield", fleet: "Fleet", units: "Units",
  from: "From", until: "Until", date: "New deadline",
};

const whatif = { changes: [] };

function renderWhatifPanel() {
  const view = state.base;
  const s = view.scenario;
  const options = {
    road: s.roads.map((r) => [r.id, `${r.id} (${num(r.km)} km)`]),
    site: s.sites.map((x) => [x.id, `${x.name}${x.kind === "exit" ? " (exit)" : ""}`]),
    airfield: s.sites.filter((x) => x.airfield).map((x) => [x.id, x.name]),
    fleet: s.fleets.map((f) => [f.id, `${f.id} (${f.kind}, ${f.count} units)`]),
  };
  const kind = el("select", { id: "whatif-kind" }, ...Object.entries(WHATIF_KINDS).map(([k, d]) => el("option", { value: k }, d.label)));
  const fields = el("span", { class: "whatif-fields" });
  const inputs = {};
  const showFields = () => {
    const spec = WHATIF_KINDS[kind.value];
    fields.replaceChildren(...spec.fields.map((f) => {
      let input;
      if (options[f]) input = el("select", { name: f }, ...options[f].map(([v, t]) => el("option", { value: v }, t)));
      else if (f === "units") input = el("input", { type: "number", name: f, min: 0, value: s.fleets.length ? s.fleets[0].count : 0 });
      else input = el("input", { type: "date", name: f, min: s.start, max: s.end, value: f === "until" ? s.end : s.start });
      inputs[f] = input;
      return el("label", {}, FIELD_LABELS[f], " ", input);
    }));
    if (inputs.fleet) inputs.fleet.onchange = () => (inputs.units.value = s.fleets.find((x) => x.id === inputs.fleet.value).count);
    if (kind.value === "deadline") {
      inputs.site.replaceChildren(...s.sites.filter((x) => x.deadline).map((x) => el("option", { value: x.id }, x.name)));
      const sync = () => (inputs.date.value = s.sites.find((x) => x.id === inputs.site.value).deadline);
      inputs.site.onchange = sync;
      sync();
    }
  };
  kind.onchange = showFields;
  showFields();
  const add = el("button", { type: "button", id: "whatif-add", onclick: () => {
    const change = { kind: kind.value };
    for (const f of WHATIF_KINDS[kind.value].fields) change[f] = f === "units" ? +inputs[f].value : inputs[f].value;
    whatif.changes.push(change);
    renderChanges();
  } }, "Add change");
  const run = el("button", { type: "button", id: "whatif-run", class: "primary", onclick: applyWhatif }, "Re-plan");
  document.getElementById("whatif").replaceChildren(
    el("div", { class: "whatif-form" }, kind, fields, add),
    el("div", { id: "whatif-changes" }),
    el("div", { class: "whatif-actions" }, run, el("span", { id: "whatif-status", class: "muted" })),
    el("div", { id: "whatif-result" }),
  );
  renderChanges();
}

function describeChange(c) {
  const range = c.from ? ` from ${shortDate(c.from)} to ${shortDate(c.until)}` : "";
  switch (c.kind) {
    case "close_road": return `Road ${c.road} closed${range}`;
    case "close_site": return `Site ${c.site} closed${range}`;
    case "refuse_flights": return `No flights at ${c.airfield}${range}`;
    case "fleet_size": return `Fleet ${c.fleet} at ${c.units} units`;
    case "deadline": return `Deadline of ${c.site} moved to ${shortDate(c.date)}`;
    default: return JSON.stringify(c);
  }
}

function renderChanges() {
  const list = document.getElementById("whatif-changes");
  list.replaceChildren(...whatif.changes.map((c, i) => el("span", { class: "chip" }, describeChange(c),
    el("button", { type: "button", title: "Remove", onclick: () => { whatif.changes.splice(i, 1); renderChanges(); } }, "×"))));
  if (!whatif.changes.length) list.append(el("span", { class: "muted" }, "No change yet: pick one above and add it."));
  document.getElementById("whatif-run").disabled = !whatif.changes.length;
}

async function applyWhatif() {
  const status = document.getElementById("whatif-status");
  const result = document.getElementById("whatif-result");
  status.textContent = "Re-planning…";
  result.replaceChildren();
  document.getElementById("whatif-run").disabled = true;
  try {
    const answer = await getJSON("/api/whatif", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ changes: whatif.changes }),
    });
    state.whatif = answer;
    status.textContent = `Re-planned in ${num(answer.elapsed_ms)} ms; the new plan passed the checker.`;
    renderDiff(answer);
    renderAll();
  } catch (e) {
    const errors = e.body && (e.body.errors || (e.body.error ? [e.body.error] : null));
    status.textContent = "";
    result.replaceChildren(el("div", { class: "error", id: "whatif-error" },
      ...(errors || [{ message: e.message }]).map((x) => el("div", {},
        x.code ? el("b", {}, x.code + " ") : null, x.field ? `${x.field}: ` : "", x.message || "", x.fix ? el("div", { class: "fix" }, x.fix) : null))));
  } finally {
    document.getElementById("whatif-run").disabled = !whatif.changes.length;
  }
}

function renderDiff(answer) {
  const d = answer.diff;
  const delta = d.objective_after - d.objective_before;
  const toggle = el("button", { type: "button", id: "whatif-toggle", onclick: () => {
    state.showWhatif = !state.showWhatif;
    toggle.textContent = state.showWhatif ? "Show the base plan" : "Show the what-if plan";
    renderAll();
  } }, state.showWhatif ? "Show the base plan" : "Show the what-if plan");
  const rows = [...d.sites].sort((a, b) => Math.abs(b.delta_days || 0) - Math.abs(a.delta_days || 0) || a.name.localeCompare(b.name));
  const changed = rows.filter((r) => r.delta_days);
  const cols = [
    ["Site", (r) => r.name],
    ["Deadline", (r) => shortDate(r.deadline)],
    ["Closure (base)", (r) => shortDate(r.closure_before)],
    ["Closure (what-if)", (r) => shortDate(r.closure_after)],
    ["Change", (r) => (r.delta_days ? el("b", { class: r.delta_days > 0 ? "bad" : "good" }, `${r.delta_days > 0 ? "+" : ""}${r.delta_days} d`) : "–"), "num"],
    ["Late (base)", (r) => r.late_days_before, "num"],
    ["Late (what-if)", (r) => (r.late_days_after > r.late_days_before ? el("b", { class: "bad" }, r.late_days_after) : r.late_days_after), "num"],
  ];
  const t = el("table", { class: "data", id: "diff-table" });
  table(t, cols, rows.map((r) => ({ ...r, _class: r.delta_days ? "changed" : null })), rows.length);
  document.getElementById("whatif-result").replaceChildren(
    el("div", { class: "diff-summary", id: "diff-summary" },
      el("span", {}, "Objective ", el("b", {}, num(d.objective_before)), " → ", el("b", { class: delta > 0 ? "bad" : delta < 0 ? "good" : "" }, num(d.objective_after))),
      el("span", {}, el("b", { id: "sites-changed" }, changed.length), ` site${changed.length === 1 ? "" : "s"} close on another day`),
      toggle),
    t,
  );
}

// ---------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------

function renderAll() {
  const view = state.view();
  state.step = Math.min(state.step, view.scenario.periods);
  renderHeader(view);
  renderMap(view);
  renderBurndown(view);
  renderGantt(view);
  renderSites(view);
  renderMovementTables(view);
  renderExplanation(view);
}

async function main() {
  document.body.classList.add(`mode-${BOOT.mode}`);
  try {
    state.base = BOOT.view || (await getJSON("/api/view"));
    state.borders = BOOT.borders || (await getJSON("/assets/borders.geojson"));
  } catch (e) {
    document.querySelector("main").replaceChildren(el("div", { class: "error" }, `Could not load the plan: ${e.message}`));
    return;
  }
  initMap();
  fitMap(state.base);
  initSlider(state.base);
  if (BOOT.mode !== "report") renderWhatifPanel();
  renderAll();
  window.addEventListener("resize", () => {
    map.leaflet.invalidateSize();
    renderBurndown(state.view());
  });
  document.body.dataset.ready = "true";
}

main();
