// The node's dashboard: reads the node's JSON API (polling) and its live payload feed (Server-Sent Events). No framework.
"use strict";

// totals: the network's payload count as read at each refresh; samples: the throughput derived from it.
const state = { self: null, pipelines: [], totals: [], samples: [] };
const RATE_WINDOW_S = 5;   // heartbeats arrive in steps: the rate is measured over a few seconds
const CHART_SPAN_S = 120;
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return e;
}

const td = (text, cls) => el("td", cls ? { class: cls } : {}, text);
const tags = (items) => { const t = el("td"); (items || []).forEach(i => t.append(el("span", { class: "tag" }, i))); return t; };
const short = (id) => id && id.length > 14 ? id.slice(0, 8) + "…" + id.slice(-4) : id;
const fmt = (n) => Number(n).toLocaleString("en-US");

async function getJson(path) {
  const r = await fetch(path, { cache: "no-store" });
  if (!r.ok) throw new Error(path + " answered " + r.status);
  return r.json();
}

function replaceRows(table, rows) {
  const body = $(table).tBodies[0];
  body.replaceChildren(...rows);
}

async function refreshNodes() {
  const [self, network] = await Promise.all([getJson("/api/node"), getJson("/api/nodes")]);
  state.self = self;
  $("self").textContent = `${self.alias} · ${self.nodeId} · ${self.akkaAddress}`;
  const nodes = network.nodes;
  $("node-count").textContent = nodes.length;
  let total = 0;
  replaceRows("nodes", nodes.map(n => {
    const r = n.resources;
    // This node's own count is read live; the others' come with their heartbeats.
    const emitted = r.nodeId === self.nodeId ? Math.max(self.payloadsEmitted, r.payloadsEmitted) : r.payloadsEmitted;
    total += emitted;
    const age = Math.max(0, (Date.parse(network.at) - Date.parse(r.updatedAt)) / 1000);
    const row = el("tr", { "data-node": r.nodeId },
      el("td", { class: "id", title: r.akkaAddress }, r.nodeId),
      td(r.alias),
      td(n.reachable ? "yes" : "no", n.reachable ? "yes" : "no"),
      td(r.cores, "num"),
      td(r.cpuLoad.toFixed(2), "num"),
      td(`${fmt(r.freeMemoryMb)} / ${fmt(r.totalMemoryMb)} MB`, "num"),
      td(r.gpu ? `${r.gpu.name} (${fmt(r.gpu.memoryMb)} MB)` : "none"),
      tags([...(r.models || []), ...(r.offeredModels || []).filter(m => !(r.models || []).includes(m)).map(m => m + " (offered)")]),
      tags(r.tags),
      pipelinesOn(r.nodeId),
      td(fmt(emitted), "num"),
      td(r.pricePerUnit, "num"),
      td(`#${r.sequence}, ${age.toFixed(1)} s ago`));
    return row;
  }));
  $("payload-counter").textContent = fmt(total);
  $("payload-counter").dataset.count = total;
  const now = Date.now() / 1000;
  state.totals.push({ at: now, value: total });
  state.totals = state.totals.filter(t => now - t.at <= RATE_WINDOW_S);
  const base = state.totals[0]; // the oldest reading within the window
  if (now - base.at >= 0.9) {
    const rate = Math.max(0, (total - base.value) / (now - base.at));
    state.samples.push({ at: now, rate });
    state.samples = state.samples.filter(s => now - s.at <= CHART_SPAN_S);
    $("throughput").textContent = rate.toFixed(1) + " /s";
  }
  drawChart();
  $("status").textContent = "live";
  $("status").className = "badge ok";
}

// The pipelines the network lists as running on a node (the directory names each pipeline's node).
function pipelinesOn(nodeId) {
  const here = state.pipelines.filter(p => p.nodeId.toLowerCase() === nodeId.toLowerCase() && p.status === "Running");
  const cell = el("td");
  cell.append(el("span", { class: "num" }, here.length + " "));
  here.forEach(p => cell.append(el("span", { class: "tag" }, p.name)));
  return cell;
}

async function refreshPipelines() {
  const list = await getJson("/api/pipelines?all=true");
  state.pipelines = list.pipelines;
  $("pipeline-count").textContent = list.pipelines.length;
  const details = await Promise.all(list.pipelines.map(p =>
    getJson(`/api/pipelines/${encodeURIComponent(p.owner)}/${encodeURIComponent(p.name)}`).catch(() => null)));
  replaceRows("pipelines", list.pipelines.map((p, i) => {
    const plugins = el("td");
    for (const plugin of (details[i] && details[i].plugins) || []) {
      plugins.append(el("div", {}, el("code", {}, plugin.signature), " ", plugin.instances.join(", ")));
    }
    return el("tr", {},
      td(p.name), el("td", { class: "id", title: p.owner }, short(p.owner)), td(p.type), td(p.status), td(p.version, "num"),
      el("td", { class: "id", title: p.nodeId }, short(p.nodeId)), plugins);
  }));
}

async function refreshLedger() {
  const [channels, epochs, balances] = await Promise.all([getJson("/api/channels"), getJson("/api/epochs?count=5"), getJson("/api/balances")]);
  const rows = [];
  for (const o of channels.owners) {
    for (const c of o.channels.length ? o.channels : [null]) {
      rows.push(el("tr", {},
        el("td", { class: "id", title: o.owner }, short(o.owner)),
        td(o.account.billed, "num"), td(o.account.collected, "num"), td(o.account.arrears, "num"),
        el("td", { class: "id", title: c ? c.channelId : "" }, c ? short(c.channelId) : "–"),
        td(c && c.ledger ? c.ledger.deposit : "–", "num"),
        td(c ? (c.state.settled ? "yes" : "no") : "–")));
    }
  }
  replaceRows("channels", rows.length ? rows : [el("tr", {}, el("td", { colspan: 7, class: "muted" }, "no channel pays this node yet"))]);
  const reg = epochs.observers;
  $("observers").textContent = `epoch length ${epochs.epochSeconds} s · reward observers: ${reg.observers.length ? reg.observers.length + ", threshold " + reg.threshold : "none registered"}`;
  const me = (channels.nodeId || "").toLowerCase();
  replaceRows("epochs", epochs.epochs.length ? epochs.epochs.map(e => {
    const own = e.result ? Object.entries(e.result).find(([k]) => k.toLowerCase() === me) : null;
    return el("tr", {},
      td(e.epoch, "num"),
      td(own ? `${own[1]} / 255` : "–", "num"),
      td(e.result ? Object.keys(e.result).length + " nodes" : "no quorum"),
      td(e.signatures.length, "num"),
      td(e.reward ? e.reward.pool : "–", "num"),
      td(e.reward ? e.reward.claimed : "–", "num"));
  }) : [el("tr", {}, el("td", { colspan: 6, class: "muted" }, "no epoch has ended since this node started watching"))]);
  $("balance").textContent = balances.balances.map(b => `balance of ${short(b.address)}: ${b.balance}`).join(" · ");
}

function drawChart() {
  const canvas = $("chart");
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== w * ratio) { canvas.width = w * ratio; canvas.height = h * ratio; }
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  const pad = { l: 44, r: 10, t: 10, b: 20 };
  const now = Date.now() / 1000, span = CHART_SPAN_S;
  canvas.dataset.samples = state.samples.length;
  const max = Math.max(1, ...state.samples.map(s => s.rate)) * 1.15;
  g.strokeStyle = "#2a3542"; g.fillStyle = "#8b98a5"; g.font = "11px sans-serif"; g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + (h - pad.t - pad.b) * i / 4;
    g.beginPath(); g.moveTo(pad.l, y); g.lineTo(w - pad.r, y); g.stroke();
    g.fillText((max * (1 - i / 4)).toFixed(max < 10 ? 1 : 0), 4, y + 4);
  }
  g.fillText("-2 min", pad.l, h - 5); g.fillText("now", w - pad.r - 22, h - 5);
  if (state.samples.length === 0) return;
  const x = (t) => pad.l + (w - pad.l - pad.r) * (1 - (now - t) / span);
  const y = (r) => pad.t + (h - pad.t - pad.b) * (1 - r / max);
  g.strokeStyle = "#3fb6a8"; g.fillStyle = "rgba(63, 182, 168, 0.15)"; g.lineWidth = 2;
  g.beginPath();
  state.samples.forEach((s, i) => i ? g.lineTo(x(s.at), y(s.rate)) : g.moveTo(x(s.at), y(s.rate)));
  g.stroke();
  g.lineTo(x(state.samples[state.samples.length - 1].at), y(0)); g.lineTo(x(state.samples[0].at), y(0)); g.closePath(); g.fill();
  const last = state.samples[state.samples.length - 1];
  g.fillStyle = "#3fb6a8"; g.beginPath(); g.arc(x(last.at), y(last.rate), 3, 0, 2 * Math.PI); g.fill();
}

function startFeed() {
  const feed = $("feed");
  const source = new EventSource("/api/events");
  source.addEventListener("payload", (message) => {
    const p = JSON.parse(message.data);
    const line = el("li", {}, el("span", { class: "seq" }, `#${p.sequence}`), ` ${p.pipeline.split("/")[1]} ${p.signature}/${p.instance} `, p.data);
    feed.prepend(line);
    while (feed.children.length > 40) feed.lastChild.remove();
  });
  source.onerror = () => { $("status").textContent = "reconnecting"; $("status").className = "badge down"; };
}

function every(ms, task) {
  const run = () => task().catch(e => { $("status").textContent = e.message; $("status").className = "badge down"; })
    .finally(() => setTimeout(run, ms));
  run();
}

every(1000, refreshNodes);
every(2000, refreshPipelines);
every(5000, refreshLedger);
startFeed();
window.addEventListener("resize", drawChart);
