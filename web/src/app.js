// The pizzastream dashboard: reads the JSON API (docs/api.md), draws the charts with the
// bundled Chart.js and refreshes by itself when the warehouse changes (it polls
// /api/pipeline, whose data_version moves with every load). No inline code: the page runs
// under a strict Content-Security-Policy.
'use strict';

(() => {
  const POLL_MS = 2000;
  const PALETTE = ['#d9482b', '#f4b942', '#4f8a3c', '#2f6690', '#8e5572', '#e07a5f', '#3d405b',
                   '#81b29a'];
  const state = {
    filter: { from: '', to: '', category: '', size: '', channel: '' },
    grain: 'day',
    rank: 'revenue',
    pizzas: [],
    dataVersion: null,
    token: null,
    refreshing: null,
    pendingRefresh: false,
    seen: { category: new Set(), size: new Set(), channel: new Set() },
  };
  const charts = {};
  const $ = (id) => document.getElementById(id);
  const nf0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const nf2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const SIZE_ORDER = ['S', 'M', 'L', 'XL', 'XXL'];

  // --- access token: from #token=... once, then kept for the tab's session -----------------
  function loadToken() {
    const m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem('pizzastream-token', decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    state.token = sessionStorage.getItem('pizzastream-token');
  }

  function askToken() {
    return new Promise((resolve) => {
      const dialog = $('token-dialog');
      if (dialog.open) return resolve();
      $('token-form').addEventListener('submit', () => {
        state.token = $('token-input').value;
        sessionStorage.setItem('pizzastream-token', state.token);
        resolve();
      }, { once: true });
      dialog.showModal();
    });
  }

  // --- API ------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== '' && v != null) query.set(k, v);
    const url = path + (query.toString() ? '?' + query : '');
    const headers = state.token ? { Authorization: 'Bearer ' + state.token } : {};
    const res = await fetch(url, { headers, cache: 'no-store' });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (res.status === 401) {
      await askToken();
      return api(path, params);
    }
    if (!res.ok) throw new ApiError(res.status, (body && body.error) || res.statusText);
    return body;
  }

  const sales = (group) => api('/api/sales', { group, ...state.filter });

  // --- charts ---------------------------------------------------------------------------------
  function baseOptions(extra) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false }, tooltip: { mode: 'index', intersect: false } },
      ...extra,
    };
  }

  function makeCharts() {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#5b4636';
    charts.time = new Chart($('chart-time'), {
      type: 'line',
      data: { labels: [], datasets: [
        { label: 'Revenue', data: [], yAxisID: 'y', borderColor: PALETTE[0],
          backgroundColor: 'rgba(217,72,43,0.12)', fill: true, pointRadius: 0, tension: 0.2 },
        { label: 'Orders', data: [], yAxisID: 'y1', borderColor: PALETTE[3], pointRadius: 0,
          tension: 0.2 },
      ] },
      options: baseOptions({
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { display: true, position: 'top', align: 'end' } },
        scales: {
          x: { ticks: { autoSkip: true, maxTicksLimit: 12, maxRotation: 0 } },
          y: { position: 'left', title: { display: true, text: 'Revenue' } },
          y1: { position: 'right', grid: { drawOnChartArea: false },
                title: { display: true, text: 'Orders' } },
        },
      }),
    });
    const bar = (id, color, horizontal) => new Chart($(id), {
      type: 'bar',
      data: { labels: [], datasets: [{ data: [], backgroundColor: color, borderRadius: 4 }] },
      options: baseOptions(horizontal ? { indexAxis: 'y' } : {}),
    });
    const doughnut = (id) => new Chart($(id), {
      type: 'doughnut',
      data: { labels: [], datasets: [{ data: [], backgroundColor: PALETTE }] },
      options: baseOptions({ plugins: { legend: { display: true, position: 'right' } }, cutout: '55%' }),
    });
    charts.hour = bar('chart-hour', PALETTE[1]);
    charts.weekday = bar('chart-weekday', PALETTE[2]);
    charts.category = doughnut('chart-category');
    charts.size = bar('chart-size', PALETTE[3]);
    charts.channel = doughnut('chart-channel');
    charts.top = bar('chart-top', PALETTE[2], true);
    charts.bottom = bar('chart-bottom', PALETTE[0], true);
  }

  function setData(chart, labels, series) {
    chart.data.labels = labels;
    series.forEach((data, i) => { chart.data.datasets[i].data = data; });
    chart.update('none');
  }

  // --- rendering ------------------------------------------------------------------------------
  const CARD_FORMAT = {
    total_revenue: (v) => '$' + nf2.format(v),
    total_orders: (v) => nf0.format(v),
    total_pizzas_sold: (v) => nf0.format(v),
    avg_order_value: (v) => '$' + nf2.format(v),
    avg_pizzas_per_order: (v) => nf2.format(v),
    avg_orders_per_day: (v) => nf2.format(v),
    top_pizza_by_revenue: (v) => v == null ? '–' : v,
  };

  function renderCards(kpi) {
    for (const [key, format] of Object.entries(CARD_FORMAT)) {
      const el = $('card-' + key).querySelector('.value');
      const v = kpi[key];
      el.textContent = format(v);
      el.dataset.value = v == null ? '' : String(v);
    }
  }

  function rememberOptions(kind, rows) {
    let added = false;
    for (const r of rows) {
      if (r.key && !state.seen[kind].has(r.key)) { state.seen[kind].add(r.key); added = true; }
    }
    if (!added) return;
    const select = $('f-' + kind);
    const current = select.value;
    let values = [...state.seen[kind]].sort();
    if (kind === 'size') values.sort((a, b) => SIZE_ORDER.indexOf(a) - SIZE_ORDER.indexOf(b));
    select.replaceChildren(new Option('All', ''), ...values.map((v) => new Option(v, v)));
    select.value = current;
  }

  function renderRanks() {
    const key = state.rank;
    const sorted = [...state.pizzas].sort((a, b) => (b[key] - a[key]) || a.key.localeCompare(b.key));
    const top = sorted.slice(0, 5);
    const bottom = sorted.slice(-5).reverse();
    setData(charts.top, top.map((r) => r.key), [top.map((r) => r[key])]);
    setData(charts.bottom, bottom.map((r) => r.key), [bottom.map((r) => r[key])]);
  }

  async function refreshAll() {
    const [kpi, time, hour, weekday, category, size, channel, pizza] = await Promise.all([
      api('/api/kpi', state.filter), sales(state.grain), sales('hour'), sales('weekday'),
      sales('category'), sales('size'), sales('channel'), sales('pizza'),
    ]);
    renderCards(kpi);
    setData(charts.time, time.rows.map((r) => r.key),
            [time.rows.map((r) => r.revenue), time.rows.map((r) => r.orders)]);
    // A long day series comes per week or per month (docs/api.md): say so.
    const coarser = time.granularity && time.granularity !== state.grain;
    $('time-title').textContent =
      'Revenue and orders over time' + (coarser ? ' (per ' + time.granularity + ')' : '');
    setData(charts.hour, hour.rows.map((r) => r.key + ':00'), [hour.rows.map((r) => r.orders)]);
    setData(charts.weekday, weekday.rows.map((r) => r.key.slice(0, 3)),
            [weekday.rows.map((r) => r.orders)]);
    setData(charts.category, category.rows.map((r) => r.key), [category.rows.map((r) => r.revenue)]);
    setData(charts.size, size.rows.map((r) => r.key), [size.rows.map((r) => r.revenue)]);
    setData(charts.channel, channel.rows.map((r) => r.key), [channel.rows.map((r) => r.revenue)]);
    state.pizzas = pizza.rows;
    renderRanks();
    rememberOptions('category', category.rows);
    rememberOptions('size', size.rows);
    rememberOptions('channel', channel.rows);
    state.dataVersion = kpi.data_version;
    document.body.dataset.dataVersion = kpi.data_version;
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
    setStatus('live', 'updated ' + new Date().toLocaleTimeString());
  }

  // Refreshes now, or right after the refresh in flight (so the last filter always wins).
  function refresh() {
    if (state.refreshing) {
      state.pendingRefresh = true;
      return state.refreshing;
    }
    state.refreshing = refreshAll()
      .catch((e) => showError(e))
      .finally(() => {
        state.refreshing = null;
        if (state.pendingRefresh) {
          state.pendingRefresh = false;
          refresh();
        }
      });
    return state.refreshing;
  }

  function ago(iso) {
    if (!iso) return '–';
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    return new Date(iso).toLocaleString();
  }

  function renderPipeline(p) {
    $('pipeline-source').textContent =
      (p.source === 'pipeline' ? 'live from the running pipeline' : 'from the lake and warehouse') +
      ' · warehouse: ' + p.warehouse.dialect + ', ' + nf0.format(p.warehouse.fact_rows) + ' fact rows';
    const rows = p.stages.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.stage = s.stage;
      const cells = [s.stage, nf0.format(s.rows_out), nf0.format(Math.round(s.rows_per_second)),
                     s.lag == null ? '–' : nf0.format(s.lag), nf0.format(s.rejected),
                     nf0.format(s.duplicates), ago(s.last_commit)];
      for (const c of cells) {
        const td = document.createElement('td');
        td.textContent = c;
        tr.appendChild(td);
      }
      if (s.last_error) tr.title = s.last_error;
      if (s.rows_per_second > 0) tr.classList.add('flowing');
      return tr;
    });
    if (rows.length) $('pipeline-rows').replaceChildren(...rows);
  }

  async function poll() {
    try {
      const p = await api('/api/pipeline');
      renderPipeline(p);
      if (p.data_version !== state.dataVersion) await refresh();
      else setStatus('live', 'up to date · ' + new Date().toLocaleTimeString());
    } catch (e) {
      showError(e);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  function setStatus(kind, text) {
    $('status').dataset.state = kind;
    $('status-text').textContent = text;
  }

  function showError(e) {
    if (e instanceof ApiError && e.status === 400) {
      $('filter-error').textContent = e.message;
    } else {
      setStatus('error', 'cannot reach the server: ' + e.message);
    }
  }

  // --- slicers --------------------------------------------------------------------------------
  function onFilterChange() {
    $('filter-error').textContent = '';
    for (const k of Object.keys(state.filter)) state.filter[k] = $('f-' + k).value;
    refresh();
  }

  function wire() {
    $('slicers').addEventListener('submit', (e) => e.preventDefault());
    for (const k of Object.keys(state.filter)) $('f-' + k).addEventListener('change', onFilterChange);
    $('f-reset').addEventListener('click', () => {
      for (const k of Object.keys(state.filter)) $('f-' + k).value = '';
      onFilterChange();
    });
    $('grain').addEventListener('click', (e) => {
      const grain = e.target.dataset.grain;
      if (!grain || grain === state.grain) return;
      state.grain = grain;
      for (const b of $('grain').querySelectorAll('button')) b.classList.toggle('on', b === e.target);
      refresh();
    });
    $('rank').addEventListener('click', (e) => {
      const rank = e.target.dataset.rank;
      if (!rank) return;
      state.rank = rank;
      for (const b of $('rank').querySelectorAll('button')) b.classList.toggle('on', b === e.target);
      renderRanks();
    });
  }

  loadToken();
  makeCharts();
  wire();
  refresh().then(poll);
})();
