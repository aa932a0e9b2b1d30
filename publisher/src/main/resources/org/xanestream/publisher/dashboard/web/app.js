// xanestream live dashboard: plain JS + canvas, no framework.
// The server pushes JSON (overview, scan, hb) and binary map messages over one WebSocket, latest wins.
// Everything the page shows is also kept in window.xanesState so that tests (and curious users) can read it.
'use strict';

(function () {
  const S = {
    ws: 'connecting',           // connecting | open | closed
    wsOpenedAt: 0,
    lastMessageAt: 0,
    serverSkewMs: 0,            // server clock minus browser clock
    source: null,               // {connected, detail, ...} from the overview
    overview: null,
    scans: [],
    follow: true,
    selectedScan: 'latest',
    scan: null,                 // detail of the shown scan
    selectedMap: null,
    map: null,                  // {scan,name,version,final,width,height,scale,stats,values,trusted}
    range: { auto: true, lo: NaN, hi: NaN },
    maskOn: true,
    region: null,               // {x0,y0,x1,y1} in full-resolution pixels
    spectrum: null,             // last region spectrum from the server
    colormap: null,             // Uint8Array(768)
    counters: { overview: 0, scan: 0, map: 0, hist: 0, spectrum: 0, hb: 0, reconnects: 0 },
    histogram: null,            // {counts, lo, hi, n, mean, std, version}
    canvas: null                // {k, width, height} of the drawn map
  };
  window.xanesState = S;

  const $ = (id) => document.getElementById(id);
  const fmt = (v, d) => (v === null || v === undefined || !isFinite(v)) ? '–' : Number(v).toFixed(d);

  // ---- units -------------------------------------------------------------------------------------
  function unitOf(name) {
    if (!name) return '';
    if (name === 'mask') return '';
    if (name.endsWith('_ev')) return 'eV';
    if (name.startsWith('fraction_')) return 'fraction';
    if (name === 'r2') return 'R²';
    if (name === 'rss') return 'OD²';
    if (name === 'edge_jump' || name === 'whiteline_height' || name === 'pre_edge_sd' || name === 'lcf_scale') return 'OD';
    return '';
  }
  function digitsFor(lo, hi) {
    const span = Math.abs(hi - lo);
    if (!isFinite(span) || span === 0) return 3;
    return Math.max(0, Math.min(5, 2 - Math.floor(Math.log10(span))));
  }
  function nowServer() { return Date.now() + S.serverSkewMs; }
  function isStale(sc) {
    if (!sc || sc.status === 'end' || !S.overview) return false;
    const last = Math.max(sc.lastReceiveMillis || 0, sc.lastRecordMillis || 0);
    return nowServer() - last > S.overview.staleAfterMs;
  }

  // ---- WebSocket ---------------------------------------------------------------------------------
  let sock = null;
  let backoff = 500;
  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    sock = new WebSocket(url);
    sock.binaryType = 'arraybuffer';
    S.ws = 'connecting';
    badges();
    sock.onopen = () => {
      S.ws = 'open'; S.wsOpenedAt = Date.now(); S.lastMessageAt = Date.now(); backoff = 500;
      sendSelect();
      badges();
    };
    sock.onclose = () => {
      S.ws = 'closed'; S.counters.reconnects++;
      badges();
      setTimeout(connect, backoff);
      backoff = Math.min(8000, backoff * 2);
    };
    sock.onerror = () => { /* onclose follows */ };
    sock.onmessage = (ev) => {
      S.lastMessageAt = Date.now();
      if (typeof ev.data === 'string') onText(JSON.parse(ev.data));
      else onMap(ev.data);
    };
  }
  function sendSelect() {
    if (sock && sock.readyState === 1) {
      sock.send(JSON.stringify({ type: 'select', scan: S.follow ? 'latest' : S.selectedScan, map: S.selectedMap || '' }));
    }
  }

  function onText(m) {
    if (m.type === 'hb') {
      S.serverSkewMs = m.serverMillis - Date.now(); S.counters.hb++;
      badges(); renderScans();
    } else if (m.type === 'overview') {
      S.counters.overview++;
      S.overview = m; S.source = m.source; S.scans = m.scans;
      S.serverSkewMs = m.serverMillis - Date.now();
      renderScans(); renderRejected(); renderSeries(); badges();
    } else if (m.type === 'scan') {
      S.counters.scan++;
      const prevImages = S.scan && S.scan.id === m.id ? S.scan.images.count : -1;
      S.scan = m;
      if (S.follow) S.selectedScan = m.id;
      renderMapSelect(); renderMean(); renderDrift(); renderScans(); badges();
      if (S.region && m.images.count !== prevImages) fetchSpectrum();
    }
  }

  function onMap(buf) {
    const dv = new DataView(buf);
    const hlen = dv.getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, hlen)));
    let off = 4 + hlen; off += (4 - off % 4) % 4;
    const n = header.width * header.height;
    header.values = new Float32Array(buf, off, n);
    header.trusted = new Uint8Array(buf, off + 4 * n, n);
    if (S.map && (S.map.scan !== header.scan || S.map.name !== header.name)) S.region = S.region && S.map.scan === header.scan ? S.region : null;
    S.map = header;
    S.counters.map++;
    S.histogram = { counts: header.stats.counts, lo: header.stats.histLo, hi: header.stats.histHi, n: header.stats.n,
      mean: header.stats.mean, std: header.stats.std, version: header.version, map: header.name };
    S.counters.hist++;
    if (S.selectedMap === null) S.selectedMap = header.name;
    renderMap(); renderHist();
  }

  // ---- badges and scan list ------------------------------------------------------------------------
  function badges() {
    const wb = $('ws-badge');
    const silent = S.ws === 'open' && Date.now() - S.lastMessageAt > 4000;
    if (S.ws === 'open' && !silent) { wb.textContent = 'live'; wb.className = 'badge good'; }
    else if (silent) { wb.textContent = 'server silent'; wb.className = 'badge bad'; }
    else { wb.textContent = S.ws === 'connecting' ? 'connecting…' : 'disconnected – retrying'; wb.className = 'badge bad'; }
    const sb = $('source-badge');
    if (!S.source || S.source.connected === null) { sb.textContent = 'Kafka: waiting'; sb.className = 'badge warn'; }
    else if (S.source.connected) { sb.textContent = 'Kafka: connected'; sb.className = 'badge good'; }
    else { sb.textContent = 'Kafka: disconnected'; sb.className = 'badge bad'; }
    sb.title = S.source ? S.source.detail + (S.source.decodeErrors ? ' · undecodable records: ' + S.source.decodeErrors : '') : '';
    const cb = $('scan-badge');
    const sc = S.scan;
    if (!sc) { cb.textContent = 'no scan'; cb.className = 'badge'; return; }
    const st = isStale(sc) ? 'stale' : (sc.status === 'end' ? 'ended' : 'running');
    cb.textContent = sc.id + ': ' + st;
    cb.className = 'badge ' + (st === 'stale' ? 'bad' : st === 'running' ? 'good' : '');
  }

  function renderScans() {
    const tb = $('scan-table').tBodies[0];
    const rows = [];
    const list = S.scans.slice().reverse();
    for (const sc of list) {
      const planned = sc.energiesPlanned;
      const frac = planned ? Math.min(1, sc.energiesDone / planned) : 0;
      const st = isStale(sc) ? 'stale' : (sc.status === 'end' ? 'ended' : 'running');
      const sel = S.scan && S.scan.id === sc.id ? ' class="sel"' : '';
      rows.push('<tr data-id="' + escapeHtml(sc.id) + '"' + sel + '><td>' + escapeHtml(sc.id) + '</td><td>' + escapeHtml(sc.element) +
        '</td><td>' + (planned ? '<span class="prog"><i style="width:' + (100 * frac).toFixed(0) + '%"></i></span>' : '') +
        sc.energiesDone + ' / ' + (planned ? planned : '?') + '</td><td>' + fmt(sc.frameRateHz, 1) + '</td><td>' +
        sc.framesRejected + '</td><td class="st-' + st + '">' + st + '</td></tr>');
    }
    tb.innerHTML = rows.join('');
  }
  $('scan-table').addEventListener('click', (ev) => {
    const tr = ev.target.closest('tr[data-id]');
    if (!tr) return;
    S.follow = false; $('follow').checked = false;
    S.selectedScan = tr.dataset.id; S.region = null; S.spectrum = null;
    sendSelect();
  });
  $('follow').addEventListener('change', (ev) => { S.follow = ev.target.checked; sendSelect(); });

  function renderRejected() {
    const r = S.overview.rejected;
    const parts = Object.entries(r.byReason).map(([k, v]) => k + ' ' + v);
    const last = r.recent.length ? r.recent[r.recent.length - 1] : null;
    $('rejected').innerHTML = 'rejected messages: <b>' + r.total + '</b>' + (parts.length ? ' (' + escapeHtml(parts.join(', ')) + ')' : '') +
      (last ? '<br>last: ' + escapeHtml(last.reason + ' – ' + last.detail) : '') +
      (S.source && S.source.decodeErrors ? '<br>undecodable records: <b>' + S.source.decodeErrors + '</b>' : '');
  }
  function escapeHtml(s) { return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }

  // ---- map ---------------------------------------------------------------------------------------
  function renderMapSelect() {
    const sel = $('map-select');
    const names = S.scan.maps.map((m) => m.name);
    const current = Array.from(sel.options).map((o) => o.value);
    if (names.join() !== current.join()) {
      sel.innerHTML = names.map((n) => '<option>' + escapeHtml(n) + '</option>').join('');
    }
    const want = S.selectedMap || (S.map && S.map.name);
    if (want && names.includes(want)) sel.value = want;
  }
  $('map-select').addEventListener('change', (ev) => { S.selectedMap = ev.target.value; sendSelect(); });
  $('mask-toggle').addEventListener('change', (ev) => { S.maskOn = ev.target.checked; renderMap(); });
  $('auto-range').addEventListener('change', (ev) => {
    S.range.auto = ev.target.checked;
    $('range-lo').disabled = S.range.auto; $('range-hi').disabled = S.range.auto;
    renderMap(); renderHist();
  });
  for (const id of ['range-lo', 'range-hi']) {
    $(id).addEventListener('input', () => {
      S.range.lo = parseFloat($('range-lo').value); S.range.hi = parseFloat($('range-hi').value);
      renderMap(); renderHist();
    });
  }

  function currentRange() {
    const st = S.map.stats;
    if (S.range.auto || !isFinite(S.range.lo) || !isFinite(S.range.hi) || S.range.hi <= S.range.lo) {
      let lo = st.p02, hi = st.p98;
      if (!isFinite(lo) || !isFinite(hi)) { lo = 0; hi = 1; }
      if (hi <= lo) { hi = lo + Math.max(1e-6, Math.abs(lo) * 1e-3); }
      return [lo, hi];
    }
    return [S.range.lo, S.range.hi];
  }
  function colorIndex(v, lo, hi) {
    let t = (v - lo) / (hi - lo);
    let i = Math.floor(t * 256);
    return i < 0 ? 0 : i > 255 ? 255 : i;
  }

  const MASKED = [150, 150, 150];
  const NODATA = [24, 24, 28];
  function renderMap() {
    const m = S.map;
    if (!m || !S.colormap) return;
    const [lo, hi] = currentRange();
    S.range.shownLo = lo; S.range.shownHi = hi;
    if (S.range.auto) {
      const d = digitsFor(lo, hi);
      $('range-lo').value = lo.toFixed(d); $('range-hi').value = hi.toFixed(d);
    }
    const cv = $('map-canvas');
    const maxW = 512, maxH = 512;
    const k = Math.min(maxW / m.width, maxH / m.height);
    const kk = k >= 1 ? Math.floor(k) : k;
    cv.width = Math.max(1, Math.round(m.width * kk)); cv.height = Math.max(1, Math.round(m.height * kk));
    S.canvas = { k: kk, width: cv.width, height: cv.height };
    const off = document.createElement('canvas');
    off.width = m.width; off.height = m.height;
    const octx = off.getContext('2d');
    const img = octx.createImageData(m.width, m.height);
    const lut = S.colormap;
    const n = m.width * m.height;
    for (let i = 0; i < n; i++) {
      const v = m.values[i];
      let r, g, b;
      if (!isFinite(v)) { [r, g, b] = NODATA; }
      else if (S.maskOn && !m.trusted[i]) { [r, g, b] = MASKED; }
      else { const c = 3 * colorIndex(v, lo, hi); r = lut[c]; g = lut[c + 1]; b = lut[c + 2]; }
      img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
    }
    octx.putImageData(img, 0, 0);
    const ctx = cv.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(off, 0, 0, cv.width, cv.height);
    if (S.region) {
      const r = S.region;
      ctx.strokeStyle = '#ff2d55'; ctx.lineWidth = 2;
      const x = r.x0 / m.scale * kk, y = r.y0 / m.scale * kk;
      const w = Math.max(3, (r.x1 - r.x0) / m.scale * kk), h = Math.max(3, (r.y1 - r.y0) / m.scale * kk);
      ctx.strokeRect(x - 1, y - 1, w + 2, h + 2);
    }
    renderColorbar(lo, hi);
    const unit = unitOf(m.name);
    $('map-title').textContent = m.name + (unit ? ' [' + unit + ']' : '') + ' · ' + (m.final ? 'final' : 'live') + ', ' +
      m.version + ' energies' + (m.scale > 1 ? ' · 1 px = ' + m.scale + '×' + m.scale + ' detector px' : '');
  }

  function renderColorbar(lo, hi) {
    const cv = $('colorbar');
    const ctx = cv.getContext('2d');
    const h = S.canvas ? S.canvas.height : cv.height;
    cv.height = h;
    ctx.clearRect(0, 0, cv.width, cv.height);
    const top = 8, bottom = h - 8, barW = 16;
    for (let y = top; y < bottom; y++) {
      const t = 1 - (y - top) / (bottom - top - 1);
      const c = 3 * Math.min(255, Math.max(0, Math.floor(t * 256)));
      ctx.fillStyle = 'rgb(' + S.colormap[c] + ',' + S.colormap[c + 1] + ',' + S.colormap[c + 2] + ')';
      ctx.fillRect(2, y, barW, 1);
    }
    ctx.strokeStyle = '#555'; ctx.strokeRect(2.5, top - 0.5, barW, bottom - top);
    ctx.fillStyle = '#1d2330'; ctx.font = '12px system-ui, sans-serif'; ctx.textBaseline = 'middle';
    const d = digitsFor(lo, hi);
    for (let i = 0; i <= 4; i++) {
      const y = bottom - (bottom - top) * i / 4;
      ctx.fillRect(barW + 2, y, 4, 1);
      ctx.fillText((lo + (hi - lo) * i / 4).toFixed(d), barW + 8, y);
    }
    const unit = S.map ? unitOf(S.map.name) : '';
    if (unit) { ctx.save(); ctx.translate(cv.width - 6, (top + bottom) / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.fillText(unit, 0, 0); ctx.restore(); }
  }

  // Canvas position → full-resolution pixel coordinates.
  function canvasToFull(px, py) {
    const m = S.map, k = S.canvas.k, cv = $('map-canvas');
    px *= cv.width / cv.clientWidth; py *= cv.height / cv.clientHeight;
    const dx = Math.min(m.width - 1, Math.max(0, Math.floor(px / k)));
    const dy = Math.min(m.height - 1, Math.max(0, Math.floor(py / k)));
    return { dx, dy, fx: dx * m.scale, fy: dy * m.scale };
  }
  let dragStart = null;
  const mc = $('map-canvas');
  mc.addEventListener('mousedown', (ev) => { if (S.map) dragStart = canvasToFull(ev.offsetX, ev.offsetY); });
  mc.addEventListener('mouseup', (ev) => {
    if (!S.map || !dragStart) return;
    const end = canvasToFull(ev.offsetX, ev.offsetY);
    const s = S.map.scale;
    S.region = { x0: Math.min(dragStart.fx, end.fx), y0: Math.min(dragStart.fy, end.fy),
      x1: Math.max(dragStart.fx, end.fx) + s, y1: Math.max(dragStart.fy, end.fy) + s };
    dragStart = null;
    renderMap(); fetchSpectrum();
  });
  mc.addEventListener('mousemove', (ev) => {
    if (!S.map) return;
    const p = canvasToFull(ev.offsetX, ev.offsetY);
    const i = p.dy * S.map.width + p.dx;
    const unit = unitOf(S.map.name);
    $('map-info').innerHTML = 'pixel (' + p.fx + ', ' + p.fy + '): <b>' + fmt(S.map.values[i], 4) + '</b> ' + unit +
      (S.map.trusted[i] ? '' : ' (outside mask)') + ' · click or drag for the spectrum';
  });

  let spectrumInFlight = false, spectrumAgain = false;
  function fetchSpectrum() {
    if (!S.region || !S.scan) return;
    if (spectrumInFlight) { spectrumAgain = true; return; }
    spectrumInFlight = true;
    const r = S.region;
    fetch('/api/scans/' + encodeURIComponent(S.scan.id) + '/spectrum?x=' + r.x0 + '&y=' + r.y0 + '&x1=' + r.x1 + '&y1=' + r.y1)
      .then((res) => res.ok ? res.json() : null)
      .then((sp) => { if (sp) { S.spectrum = sp; S.counters.spectrum++; renderPixel(); } })
      .catch(() => {})
      .finally(() => { spectrumInFlight = false; if (spectrumAgain) { spectrumAgain = false; fetchSpectrum(); } });
  }

  // ---- plots -------------------------------------------------------------------------------------
  // A small line/point plot with axes. opts: {xlabel, ylabel, series:[{x, y, color, points, line, err}],
  // vlines:[{x, color, label, dash}], bands:[{x0, x1, color}], xlim, ylim}
  function plot(cv, opts) {
    const ctx = cv.getContext('2d');
    const W = cv.width, H = cv.height;
    ctx.clearRect(0, 0, W, H);
    const L = 58, R = 10, T = 10, B = 36;
    let xs = [], ys = [];
    for (const s of opts.series) {
      for (let i = 0; i < s.x.length; i++) {
        if (isFinite(s.x[i]) && isFinite(s.y[i])) {
          xs.push(s.x[i]); ys.push(s.y[i]);
          if (s.err && isFinite(s.err[i])) { ys.push(s.y[i] - s.err[i]); ys.push(s.y[i] + s.err[i]); }
        }
      }
    }
    for (const v of (opts.vlines || [])) if (isFinite(v.x)) xs.push(v.x);
    ctx.font = '12px system-ui, sans-serif'; ctx.fillStyle = '#6b7280';
    if (!xs.length) { ctx.fillText(opts.empty || 'no data yet', L + 10, T + 20); return null; }
    let [x0, x1] = opts.xlim || [Math.min(...xs), Math.max(...xs)];
    let [y0, y1] = opts.ylim || [Math.min(...ys), Math.max(...ys)];
    if (x1 === x0) { x0 -= 1; x1 += 1; }
    if (y1 === y0) { y0 -= Math.abs(y0) * 0.05 + 1e-6; y1 += Math.abs(y1) * 0.05 + 1e-6; }
    const py = (y1 - y0) * 0.06; y0 -= py; y1 += py;
    const X = (x) => L + (x - x0) / (x1 - x0) * (W - L - R);
    const Y = (y) => H - B - (y - y0) / (y1 - y0) * (H - T - B);
    for (const b of (opts.bands || [])) {
      ctx.fillStyle = b.color; ctx.fillRect(X(b.x0), T, X(b.x1) - X(b.x0), H - T - B);
    }
    ctx.strokeStyle = '#9aa0aa'; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, H - B); ctx.lineTo(W - R, H - B); ctx.stroke();
    ctx.fillStyle = '#374151'; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const t of ticks(x0, x1, 6)) {
      ctx.fillRect(X(t), H - B, 1, 4);
      ctx.fillText(opts.xfmt ? opts.xfmt(t) : tickLabel(t, x0, x1), X(t), H - B + 5);
    }
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const t of ticks(y0, y1, 5)) { ctx.fillRect(L - 4, Y(t), 4, 1); ctx.fillText(tickLabel(t, y0, y1), L - 6, Y(t)); }
    ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
    ctx.fillText(opts.xlabel || '', (L + W - R) / 2, H - 1);
    ctx.save(); ctx.translate(12, (T + H - B) / 2); ctx.rotate(-Math.PI / 2); ctx.textBaseline = 'middle'; ctx.fillText(opts.ylabel || '', 0, 0); ctx.restore();
    for (const v of (opts.vlines || [])) {
      if (!isFinite(v.x)) continue;
      ctx.strokeStyle = v.color; ctx.setLineDash(v.dash || []); ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(X(v.x), T); ctx.lineTo(X(v.x), H - B); ctx.stroke(); ctx.setLineDash([]);
      if (v.label) { ctx.fillStyle = v.color; ctx.textAlign = 'left'; ctx.textBaseline = 'top'; ctx.fillText(v.label, X(v.x) + 3, T + (v.row || 0) * 14); }
    }
    ctx.save(); ctx.beginPath(); ctx.rect(L, T, W - L - R, H - T - B); ctx.clip();
    for (const s of opts.series) {
      ctx.strokeStyle = s.color; ctx.fillStyle = s.color; ctx.lineWidth = s.width || 1.5;
      ctx.setLineDash(s.dash || []);
      if (s.line) {
        ctx.beginPath(); let pen = false;
        for (let i = 0; i < s.x.length; i++) {
          if (!isFinite(s.x[i]) || !isFinite(s.y[i])) { pen = false; continue; }
          if (pen) ctx.lineTo(X(s.x[i]), Y(s.y[i])); else { ctx.moveTo(X(s.x[i]), Y(s.y[i])); pen = true; }
        }
        ctx.stroke();
      }
      ctx.setLineDash([]);
      if (s.points) {
        for (let i = 0; i < s.x.length; i++) {
          if (!isFinite(s.x[i]) || !isFinite(s.y[i])) continue;
          if (s.err && isFinite(s.err[i])) { ctx.fillRect(X(s.x[i]) - 0.5, Y(s.y[i] + s.err[i]), 1, Y(s.y[i] - s.err[i]) - Y(s.y[i] + s.err[i])); }
          ctx.beginPath(); ctx.arc(X(s.x[i]), Y(s.y[i]), s.r || 2.5, 0, 2 * Math.PI); ctx.fill();
        }
      }
    }
    ctx.restore();
    if (opts.legend) {
      ctx.textAlign = 'right'; ctx.textBaseline = 'top'; let y = T + 2;
      for (const [label, color] of opts.legend) { ctx.fillStyle = color; ctx.fillText(label, W - R - 4, y); y += 14; }
    }
    return { X, Y };
  }
  function ticks(a, b, n) {
    const span = b - a; if (!(span > 0)) return [a];
    const step0 = span / n, mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= n) || 10 * mag;
    const out = []; for (let t = Math.ceil(a / step) * step; t <= b + 1e-9 * span; t += step) out.push(t);
    return out;
  }
  function tickLabel(t, a, b) {
    const span = Math.abs(b - a);
    const d = Math.max(0, Math.min(6, 1 - Math.floor(Math.log10(span / 5))));
    return Math.abs(t) >= 1e5 ? t.toFixed(0) : t.toFixed(d);
  }

  function renderHist() {
    const h = S.histogram, cv = $('hist-canvas');
    if (!h || !S.map) return;
    const nb = h.counts.length, w = (h.hi - h.lo) / nb;
    const xs = [], ys = [];
    for (let i = 0; i < nb; i++) { xs.push(h.lo + (i + 0.5) * w); ys.push(h.counts[i]); }
    const unit = unitOf(S.map.name);
    const [lo, hi] = currentRange();
    const ctx = cv.getContext('2d');
    const P = plot(cv, { xlabel: S.map.name + (unit ? ' [' + unit + ']' : ''), ylabel: 'pixels', series: [],
      vlines: [{ x: h.mean, color: '#b42318', label: 'mean' }, { x: lo, color: '#6b7280', dash: [3, 3] }, { x: hi, color: '#6b7280', dash: [3, 3] }],
      bands: isFinite(h.std) ? [{ x0: h.mean - h.std, x1: h.mean + h.std, color: 'rgba(180,35,24,0.10)' }] : [],
      xlim: [h.lo, h.hi], ylim: [0, Math.max(1, ...ys)] , empty: 'no trusted pixels yet' });
    if (P) {
      for (let i = 0; i < nb; i++) {
        const c = 3 * colorIndex(xs[i], lo, hi);
        ctx.fillStyle = 'rgb(' + S.colormap[c] + ',' + S.colormap[c + 1] + ',' + S.colormap[c + 2] + ')';
        const x0 = P.X(h.lo + i * w), x1 = P.X(h.lo + (i + 1) * w);
        ctx.fillRect(x0, P.Y(ys[i]), Math.max(1, x1 - x0 - 1), P.Y(0) - P.Y(ys[i]));
      }
    }
    const d = digitsFor(h.lo, h.hi) + 1;
    $('hist-info').innerHTML = 'mean <b>' + fmt(h.mean, d) + '</b> ' + unit + ' · std <b>' + fmt(h.std, d) + '</b> ' + unit +
      ' · n = ' + h.n.toLocaleString('en-US') + ' px' + (S.map.hasMask ? ' inside the mask' : ' (no mask yet: all finite pixels)') +
      ' · ' + (S.map.final ? 'final' : 'live, ' + S.map.version + ' energies');
  }

  function renderMean() {
    const sc = S.scan, p = sc.points;
    const idx = p.energyEv.map((_, i) => i).sort((a, b) => p.energyEv[a] - p.energyEv[b]);
    const e = idx.map((i) => p.energyEv[i]), mu = idx.map((i) => p.meanMu[i]);
    const fit = sc.meanFit;
    const wl = sc.summary && sc.summary.whiteline_ev;
    const series = [{ x: e, y: mu, color: '#1d2330', points: true, line: true, width: 1 }];
    const vlines = [];
    const bands = [];
    if (fit && fit.curveEv && fit.quadratic) series.push({ x: fit.curveEv, y: fit.curveMu, color: '#d9480f', line: true, width: 2.5 });
    if (fit && fit.quadratic) vlines.push({ x: fit.whitelineEv, color: '#d9480f', label: 'whiteline ' + fmt(fit.whitelineEv, 2) + ' eV' });
    if (wl && isFinite(wl.mean)) {
      vlines.push({ x: wl.mean, color: '#3b6fd8', dash: [4, 3], label: 'map mean ' + fmt(wl.mean, 2), row: 1 });
      if (isFinite(wl.std)) bands.push({ x0: wl.mean - wl.std, x1: wl.mean + wl.std, color: 'rgba(59,111,216,0.10)' });
    }
    plot($('mean-canvas'), { xlabel: 'energy [eV]', ylabel: 'mean μ [OD]', series, vlines, bands });
    $('mean-info').innerHTML = e.length + ' energies' + (fit && fit.quadratic ? ' · quadratic whiteline fit of the mean spectrum: <b>' + fmt(fit.whitelineEv, 2) + ' eV</b>' : '') +
      (wl ? ' · masked map mean ' + fmt(wl.mean, 2) + ' ± ' + fmt(wl.std, 2) + ' eV' : '') + (sc.whitelineOnly ? ' · whiteline-only mode' : '');
  }

  function renderDrift() {
    const p = S.scan.points;
    const idx = p.energyEv.map((_, i) => i).sort((a, b) => p.energyEv[a] - p.energyEv[b]);
    const e = idx.map((i) => p.energyEv[i]);
    plot($('drift-canvas'), { xlabel: 'energy [eV]', ylabel: 'displacement [px]',
      series: [{ x: e, y: idx.map((i) => p.driftXPx[i]), color: '#3b6fd8', points: true, line: true, r: 1.8 },
        { x: e, y: idx.map((i) => p.driftYPx[i]), color: '#d9480f', points: true, line: true, r: 1.8 }],
      legend: [['dx (columns)', '#3b6fd8'], ['dy (rows)', '#d9480f']] });
  }

  function renderPixel() {
    const sp = S.spectrum;
    if (!sp) return;
    const series = [{ x: sp.energyEv, y: sp.mu, err: sp.muStd.map((s, i) => sp.pixels[i] > 1 ? s / Math.sqrt(sp.pixels[i]) : NaN), color: '#1d2330', points: true, line: true, width: 1 }];
    const vlines = [];
    const f = sp.fit;
    if (f && f.curveEv && f.quadratic) series.push({ x: f.curveEv, y: f.curveMu, color: '#d9480f', line: true, width: 2.5 });
    if (f && f.preLine) series.push({ x: [f.preLine.e0, f.preLine.e1], y: [f.preLine.mu0, f.preLine.mu1], color: '#6b7280', line: true, dash: [4, 3] });
    if (f && f.postLine) series.push({ x: [f.postLine.e0, f.postLine.e1], y: [f.postLine.mu0, f.postLine.mu1], color: '#6b7280', line: true, dash: [4, 3] });
    if (f && f.quadratic) vlines.push({ x: f.whitelineEv, color: '#d9480f', label: 'fit ' + fmt(f.whitelineEv, 2) + ' eV' });
    const mapWl = sp.maps ? sp.maps.whiteline_ev : NaN;
    if (isFinite(mapWl)) vlines.push({ x: mapWl, color: '#3b6fd8', dash: [4, 3], label: 'map ' + fmt(mapWl, 2) + ' eV', row: 1 });
    plot($('pixel-canvas'), { xlabel: 'energy [eV]', ylabel: 'μ [OD]', series, vlines, empty: 'no energy images for this scan' });
    const fr = Object.entries(sp.maps || {}).filter(([k]) => k.startsWith('fraction_') && !k.endsWith('_sigma'))
      .map(([k, v]) => k.substring(9) + ' ' + fmt(v, 2));
    const npx = (sp.x1 - sp.x0) * (sp.y1 - sp.y0);
    $('pixel-info').innerHTML = (npx === 1 ? 'pixel (' + sp.x0 + ', ' + sp.y0 + ')' : 'region ' + sp.x0 + '–' + sp.x1 + ' × ' + sp.y0 + '–' + sp.y1) +
      ' · ' + sp.energyEv.length + ' energies' +
      (sp.maps && isFinite(sp.maps.edge_ev) ? ' · edge <b>' + fmt(sp.maps.edge_ev, 2) + ' eV</b>' : '') +
      (fr.length ? ' · fractions ' + escapeHtml(fr.join(', ')) : '') +
      (isFinite(sp.maskFraction) ? (sp.maskFraction >= 0.5 ? '' : ' · <b>outside the mask</b>') : '');
  }

  function renderSeries() {
    const sel = $('series-select');
    const keys = new Set();
    for (const sc of S.scans) for (const k of Object.keys(sc.series || {})) keys.add(k);
    const list = Array.from(keys).sort((a, b) => (a.startsWith('fraction_') ? 0 : 1) - (b.startsWith('fraction_') ? 0 : 1) || a.localeCompare(b));
    const cur = Array.from(sel.options).map((o) => o.value);
    if (list.join() !== cur.join()) {
      const keep = sel.value;
      sel.innerHTML = list.map((k) => '<option>' + escapeHtml(k) + '</option>').join('');
      if (list.includes(keep)) sel.value = keep;
    }
    const key = sel.value;
    const pts = S.scans.filter((sc) => sc.series && sc.series[key]);
    if (!pts.length) { plot($('series-canvas'), { series: [], empty: 'no scan summaries yet' }); $('series-info').textContent = ''; return; }
    const t0 = Math.min(...pts.map((sc) => sc.startMillis));
    const x = pts.map((sc) => (sc.startMillis - t0) / 60000);
    const y = pts.map((sc) => sc.series[key].mean);
    const err = pts.map((sc) => sc.series[key].std);
    plot($('series-canvas'), { xlabel: 'scan start [min since first]', ylabel: key + (unitOf(key) ? ' [' + unitOf(key) + ']' : ''),
      series: [{ x, y, err, color: '#3b6fd8', points: true, line: true, r: 3.5 }] });
    $('series-info').textContent = pts.length + ' scans · mean ± std over trusted pixels';
  }
  $('series-select').addEventListener('change', renderSeries);

  // ---- start -------------------------------------------------------------------------------------
  fetch('/api/colormap').then((r) => r.json()).then((cm) => {
    S.colormap = Uint8Array.from(cm.rgb);
    renderMap(); renderHist();
  });
  setInterval(() => { badges(); renderScans(); }, 1000);
  connect();

  // Helpers for tests and scripting: where a full-resolution pixel is on the page, and what is drawn there.
  window.xanesView = {
    pagePointOfFull(fx, fy) {
      const m = S.map, k = S.canvas.k, cv = $('map-canvas'), r = cv.getBoundingClientRect();
      const sx = r.width / cv.width, sy = r.height / cv.height;
      return { x: r.left + (Math.floor(fx / m.scale) + 0.5) * k * sx, y: r.top + (Math.floor(fy / m.scale) + 0.5) * k * sy };
    },
    valueAtFull(fx, fy) {
      const m = S.map; const i = Math.floor(fy / m.scale) * m.width + Math.floor(fx / m.scale);
      return { value: m.values[i], trusted: m.trusted[i] === 1 };
    },
    rgbAtFull(fx, fy) {
      const m = S.map, k = S.canvas.k;
      const x = Math.floor((Math.floor(fx / m.scale) + 0.5) * k), y = Math.floor((Math.floor(fy / m.scale) + 0.5) * k);
      return Array.from($('map-canvas').getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3));
    },
    expectedRgb(v) {
      const [lo, hi] = currentRange(); const c = 3 * colorIndex(v, lo, hi);
      return [S.colormap[c], S.colormap[c + 1], S.colormap[c + 2]];
    }
  };
})();
