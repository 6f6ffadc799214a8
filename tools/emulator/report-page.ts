/**
 * The static parts of the HTML report: its stylesheet and the script that draws
 * it from the inline JSON. The script builds every table with DOM text nodes, so
 * error messages from a misbehaving server can never inject markup.
 */

export const PAGE_STYLE = `
:root { color-scheme: dark; --bg: #0b1020; --card: #131a2e; --line: #26304d; --text: #e2e8f0; --muted: #94a3b8;
  --ok: #4ade80; --bad: #f87171; --accent: #60a5fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 12px; color: var(--text); }
.sub { color: var(--muted); margin-bottom: 20px; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 6px; font-weight: 700; margin-right: 8px; }
.verdict.pass { background: rgba(74,222,128,.15); color: var(--ok); }
.verdict.fail { background: rgba(248,113,113,.15); color: var(--bad); }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 20px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.tile .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile .v { font-size: 19px; font-weight: 650; margin-top: 2px; font-variant-numeric: tabular-nums; white-space: nowrap; }
.tile .v.bad { color: var(--bad); } .tile .v.ok { color: var(--ok); }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px; margin-bottom: 16px; }
.wide { grid-column: 1 / -1; }
.chart { position: relative; height: 280px; }
.card h3 { font-size: 14px; margin: 16px 0 8px; color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: 5px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
th:first-child, td:first-child { text-align: left; }
td.msg { text-align: left; white-space: normal; word-break: break-word; }
.none { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
`;

export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var C = window.Chart;
  C.defaults.color = '#cbd5e1';
  C.defaults.borderColor = 'rgba(148,163,184,0.18)';
  C.defaults.font.family = 'system-ui, sans-serif';
  C.defaults.animation = false; // a report is read, not watched; also lets headless screenshots see final charts
  C.defaults.maintainAspectRatio = false;
  var PALETTE = ['#60a5fa', '#34d399', '#fbbf24', '#f472b6', '#a78bfa', '#f87171'];

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function fmt(n) { return n >= 100 ? n.toFixed(0) : n.toFixed(1); }
  function kb(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : (n / 1024).toFixed(1) + ' kB'; }
  function edge(n) { return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, ''); }
  function table(target, head, rows, msgCol) {
    var node = document.getElementById(target);
    if (rows.length === 0) { node.appendChild(el('p', { class: 'none' }, ['none'])); return; }
    var t = el('table', {}, [el('tr', {}, head.map(function (h) { return el('th', {}, [h]); }))]);
    rows.forEach(function (r) {
      t.appendChild(el('tr', {}, r.map(function (c, i) { return el('td', i === msgCol ? { class: 'msg' } : {}, [String(c)]); })));
    });
    node.appendChild(t);
  }
  function tile(k, v, cls) {
    document.getElementById('tiles').appendChild(el('div', { class: 'tile' }, [el('div', { class: 'k' }, [k]), el('div', { class: 'v ' + (cls || '') }, [v])]));
  }
  function chart(id, config) { return new C(document.getElementById(id), config); }
  function hist(id, bins, label, color) {
    if (bins.length === 0) { document.getElementById(id).parentNode.appendChild(el('p', { class: 'none' }, ['no samples'])); return; }
    chart(id, { type: 'bar', data: {
      labels: bins.map(function (b) { return edge(b.from) + '–' + edge(b.to); }),
      datasets: [{ label: label, data: bins.map(function (b) { return b.count; }), backgroundColor: color, barPercentage: 1, categoryPercentage: 0.95 }] },
      options: { plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: 'ms' } }, y: { beginAtZero: true, title: { display: true, text: 'count' } } } } });
  }

  var s = data.summary;
  var pass = s.playersFailed === 0 && data.errors === 0;
  var v = document.getElementById('verdict');
  v.textContent = pass ? 'PASS' : 'FAIL';
  v.className = 'verdict ' + (pass ? 'pass' : 'fail');
  document.getElementById('subtitle').textContent = data.settings.serverUrl + ' · ' + data.startedAt + ' · ' + data.settings.players +
    ' players × ' + data.settings.challenges + ' challenges · jitter ' + data.settings.jitterSeconds + ' s' +
    (data.settings.hints ? ' · hints' : '') + (data.settings.thinkMs ? ' · think ' + data.settings.thinkMs + ' ms' : '') +
    (s.stoppedByDuration ? ' · STOPPED BY --duration' : '');

  tile('duration', (data.durationMs / 1000).toFixed(1) + ' s');
  tile('players ok', s.playersOk + ' / ' + data.settings.players, s.playersFailed ? 'bad' : 'ok');
  tile('solves', s.solves + ' / ' + s.expectedSolves, s.solves === s.expectedSolves ? 'ok' : 'bad');
  tile('confirmed', String(s.confirmed), s.confirmed === s.solves ? 'ok' : 'bad');
  tile('requests', String(data.requests));
  tile('errors', String(data.errors), data.errors ? 'bad' : 'ok');
  tile('delivery p50 / p99', fmt(data.delivery.p50) + ' / ' + fmt(data.delivery.p99) + ' ms');
  var submit = data.endpoints.filter(function (e) { return e.label === 'POST /api/submit'; })[0];
  if (submit) tile('submit p50 / p99', fmt(submit.p50) + ' / ' + fmt(submit.p99) + ' ms');

  var eps = data.endpoints;
  var pct = ['p50', 'p90', 'p95', 'p99', 'max'];
  chart('latency', { type: 'bar', data: { labels: eps.map(function (e) { return e.label; }),
    datasets: pct.map(function (p, i) { return { label: p, data: eps.map(function (e) { return Math.max(e[p], 0.01); }), backgroundColor: PALETTE[i] }; }) },
    options: { scales: { y: { type: 'logarithmic', title: { display: true, text: 'ms (log scale)' } } } } });
  table('endpoints', ['endpoint', 'count', 'p50', 'p90', 'p95', 'p99', 'max', 'statuses', 'errors'], eps.map(function (e) {
    var st = Object.keys(e.statuses).map(function (k) { return k + '×' + e.statuses[k]; }).join(' ');
    return [e.label, e.count, fmt(e.p50), fmt(e.p90), fmt(e.p95), fmt(e.p99), fmt(e.max), st, e.errors];
  }));

  chart('timeline', { data: { labels: data.timeline.map(function (t) { return t.second; }), datasets: [
    { type: 'bar', label: 'requests / s', data: data.timeline.map(function (t) { return t.requests; }), backgroundColor: '#60a5fa', yAxisID: 'y' },
    { type: 'line', label: 'errors / s', data: data.timeline.map(function (t) { return t.errors; }), borderColor: '#f87171', backgroundColor: '#f87171', pointRadius: 2, yAxisID: 'y1' } ] },
    options: { scales: { x: { title: { display: true, text: 'second of the run' } }, y: { beginAtZero: true, title: { display: true, text: 'requests' } },
      y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'errors' }, suggestedMax: 1 } } } });

  var assets = data.assets;
  if (assets.length === 0) document.getElementById('assets-chart').parentNode.appendChild(el('p', { class: 'none' }, ['no static assets were referenced by GET / (is the web app built?)']));
  else chart('assets-chart', { data: { labels: assets.map(function (a) { return a.path.replace(/^.*\\//, ''); }), datasets: [
    { type: 'bar', label: 'bytes per fetch (kB)', data: assets.map(function (a) { return a.bytes / Math.max(1, a.count) / 1024; }), backgroundColor: '#34d399', yAxisID: 'y' },
    { type: 'bar', label: 'p95 latency (ms)', data: assets.map(function (a) { return a.latency.p95; }), backgroundColor: '#fbbf24', yAxisID: 'y1' } ] },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'kB' } }, y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'ms' } } } } });
  table('assets', ['asset', 'fetches', 'total', 'p50', 'p95', 'p99', 'max'], assets.map(function (a) {
    return [a.path, a.count, kb(a.bytes), fmt(a.latency.p50), fmt(a.latency.p95), fmt(a.latency.p99), fmt(a.latency.max)];
  }));

  hist('ws', data.wsConnectHistogram, 'sockets', '#a78bfa');
  document.getElementById('ws-stats').textContent = 'p50 ' + fmt(data.wsConnect.p50) + ' ms · p95 ' + fmt(data.wsConnect.p95) + ' ms · p99 ' +
    fmt(data.wsConnect.p99) + ' ms · max ' + fmt(data.wsConnect.max) + ' ms · ' + data.wsConnect.count + ' sockets';
  hist('delivery', data.deliveryHistogram, 'solves', '#f472b6');
  document.getElementById('delivery-stats').textContent = 'p50 ' + fmt(data.delivery.p50) + ' ms · p95 ' + fmt(data.delivery.p95) + ' ms · p99 ' +
    fmt(data.delivery.p99) + ' ms · max ' + fmt(data.delivery.max) + ' ms · ' + data.delivery.count + ' solves (submit sent → event received)';

  table('errors', ['count', 'cause'], data.errorsByMessage.slice(0, 50).map(function (e) { return [e.count, e.message]; }), 1);
  table('failures', ['player', 'reason'], data.failures.slice(0, 100).map(function (f) { return [f.username, f.error]; }), 1);
})();
`;
