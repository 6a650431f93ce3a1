// Monitors page: per monitor, a trend chart per entity (documents per bucket as bars, the
// negative share as a line, alerts marked), the live feed of new documents (Server-Sent Events
// read through fetch, since EventSource cannot send the key) with sentiment and entity mentions
// highlighted, the alerts with the texts that drove them, and the rule editor (admin key).
import {h, svg, formatNumber} from './dom.js';
import {APIError} from './api.js';

const chartWidth = 640;
const chartHeight = 150;
const feedLimit = 50;

function when(iso) { return iso ? new Date(iso).toLocaleString() : ''; }

/** The text with each mention wrapped in <mark>; offsets count Unicode scalars, as the service does. */
function highlighted(text, mentions) {
  const scalars = Array.from(text ?? '');
  const parts = [];
  let at = 0;
  for (const m of [...(mentions ?? [])].sort((a, b) => a.start - b.start)) {
    if (m.start < at || m.end > scalars.length) continue;
    parts.push(scalars.slice(at, m.start).join(''));
    parts.push(h('mark', {class: 'mention', 'data-entity': m.entity, title: `${m.entity} (${m.origin})`}, scalars.slice(m.start, m.end).join('')));
    at = m.end;
  }
  parts.push(scalars.slice(at).join(''));
  return parts;
}

function sentimentBadge(document) {
  return h('span', {class: `badge polarity-${document.polarity}`, title: `${document.sentiment} ${formatNumber(document.confidence, 2)}`},
    document.polarity);
}

function documentRow(document) {
  return h('li', {class: 'monitor-document', 'data-id': document.id, 'data-polarity': document.polarity},
    sentimentBadge(document), ' ',
    h('span', {class: 'muted nowrap'}, when(document.time)), ' ',
    h('span', {class: 'monitor-text'}, highlighted(document.text, document.mentions)));
}

/** One entity's chart: bars for documents per bucket, a line for the negative share, alerts as red markers. */
function trendChart(series, alerts) {
  const buckets = series.buckets;
  const n = Math.max(buckets.length, 1);
  const step = chartWidth / n;
  const maxCount = Math.max(1, ...buckets.map((b) => b.count));
  const plot = chartHeight - 20;
  const bars = buckets.map((b, i) => svg('rect', {class: 'volume', x: i * step + 1, y: plot - (b.count / maxCount) * plot,
    width: Math.max(step - 2, 1), height: (b.count / maxCount) * plot, 'data-start': b.start},
    svg('title', {}, document.createTextNode(`${when(b.start)}: ${b.count} documents, ${formatNumber(100 * b.negative_share)} % negative`))));
  const points = buckets.map((b, i) => `${(i + 0.5) * step},${plot - b.negative_share * plot}`).join(' ');
  const starts = new Map(buckets.map((b, i) => [b.start, i]));
  const marks = alerts.filter((a) => a.entity === series.name && starts.has(a.bucket_start)).map((a) => {
    const x = (starts.get(a.bucket_start) + 0.5) * step;
    return svg('g', {class: 'alert-mark', 'data-alert': a.id},
      svg('line', {x1: x, x2: x, y1: 0, y2: plot, class: 'alert-line'}),
      svg('circle', {cx: x, cy: 6, r: 5, class: 'alert-dot'}, svg('title', {}, document.createTextNode(`${a.rule}: ${formatNumber(a.value, 2)}`))));
  });
  return h('figure', {class: 'trend', 'data-entity': series.name},
    h('figcaption', {}, h('strong', {}, series.name), ' ',
      h('span', {class: 'muted'}, `${buckets.reduce((s, b) => s + b.count, 0)} documents; bars: volume (max ${maxCount}), line: negative share`)),
    svg('svg', {class: 'trend-chart', viewBox: `0 0 ${chartWidth} ${chartHeight}`, width: '100%', height: chartHeight, role: 'img'},
      svg('line', {x1: 0, x2: chartWidth, y1: plot, y2: plot, class: 'axis'}),
      bars,
      buckets.length > 0 ? svg('polyline', {class: 'negative-share', points}) : null,
      marks));
}

function alertRow(alert) {
  const item = h('li', {class: `monitor-alert ${alert.state}`, 'data-id': alert.id, 'data-state': alert.state},
    h('span', {class: alert.state === 'open' ? 'badge alert-open' : 'badge'}, alert.state), ' ',
    h('strong', {}, alert.entity), ' ',
    h('span', {}, `${alert.rule}: ${alert.metric} ${formatNumber(alert.value, 3)} (baseline ${formatNumber(alert.baseline, 3)}, score ${formatNumber(alert.score, 2)}, ${alert.count} documents)`), ' ',
    h('span', {class: 'muted'}, `bucket ${when(alert.bucket_start)}`));
  const driving = alert.driving_documents ?? [];
  if (driving.length > 0) item.append(h('ul', {class: 'driving'}, driving.map(documentRow)));
  return item;
}

function ruleRow(rule, onDelete) {
  return h('tr', {class: 'monitor-rule', 'data-name': rule.name},
    h('td', {}, rule.name), h('td', {}, rule.entity), h('td', {}, rule.metric), h('td', {}, rule.detector),
    h('td', {class: 'mono'}, `halflife ${rule.halflife}, z ${rule.z}, threshold ${rule.threshold ?? '–'}, min ${rule.min_count}, cooldown ${rule.cooldown}`),
    h('td', {}, h('button', {class: 'rule-delete', onclick: () => onDelete(rule)}, 'Delete')));
}

function ruleForm(onSubmit) {
  const field = (name, attributes = {}) => h('label', {}, name, ' ', h('input', {name, ...attributes}));
  const select = (name, options) => h('label', {}, name, ' ', h('select', {name}, options.map((o) => h('option', {value: o}, o))));
  const message = h('p', {class: 'error', id: 'rule-error', role: 'alert', hidden: true});
  const form = h('form', {id: 'rule-form', class: 'rule-form'},
    field('name', {required: true}), field('entity', {value: '*'}),
    select('metric', ['negative_share', 'volume', 'mean_score']), select('detector', ['ewma_z', 'threshold', 'cusum']),
    field('halflife', {type: 'number', step: 'any', value: 24}), field('z', {type: 'number', step: 'any', value: 3}),
    field('threshold', {type: 'number', step: 'any'}), field('min_count', {type: 'number', value: 20}),
    field('cooldown', {type: 'number', value: 6}),
    h('button', {type: 'submit'}, 'Save rule'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const rule = {name: data.get('name'), entity: data.get('entity') || '*', metric: data.get('metric'), detector: data.get('detector')};
    for (const key of ['halflife', 'z', 'threshold', 'min_count', 'cooldown']) {
      const value = data.get(key);
      if (value !== null && value !== '') rule[key] = Number(value);
    }
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    message.hidden = true;
    try {
      await onSubmit(rule);
      form.reset();
    } catch (error) {
      message.hidden = false;
      message.dataset.field = error.field ?? '';
      message.textContent = error.field ? `${error.field}: ${error.message}` : error.message;
      const input = error.field ? form.querySelector(`[name="${error.field}"]`) : null;
      if (input) input.setAttribute('aria-invalid', 'true');
    }
  });
  return form;
}

/** Reads `text/event-stream` from a fetch response, calling onEvent(name, data) per event. */
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, {stream: true});
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = 'message';
      const data = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}

async function showMonitor(root, api, name, signal) {
  const charts = h('div', {id: 'monitor-trends'});
  const feed = h('ul', {id: 'monitor-feed', class: 'feed'});
  const alertList = h('ul', {id: 'monitor-alerts', class: 'alerts'});
  const ruleBody = h('tbody', {id: 'monitor-rules'});
  const live = h('span', {id: 'monitor-live', class: 'muted'}, 'connecting…');
  const path = `/v1/monitors/${encodeURIComponent(name)}`;
  let alerts = [];

  async function drawTrends() {
    const trends = await api.get(`${path}/trends`);
    charts.replaceChildren(...(trends.series.length === 0
      ? [h('p', {class: 'muted'}, 'No documents yet.')]
      : trends.series.map((series) => trendChart(series, alerts))));
  }
  async function loadAlerts() {
    alerts = (await api.get(`${path}/alerts?limit=50`)).alerts;
    alertList.replaceChildren(...(alerts.length === 0 ? [h('li', {class: 'muted', id: 'no-alerts'}, 'No alerts.')] : alerts.map(alertRow)));
  }
  async function loadRules() {
    const rules = (await api.get(`${path}/rules`)).rules;
    ruleBody.replaceChildren(...rules.map((rule) => ruleRow(rule, async (r) => {
      await api.send('DELETE', `${path}/rules/${encodeURIComponent(r.name)}`);
      await loadRules();
    })));
  }

  root.append(
    h('section', {class: 'card'}, h('h2', {}, 'Trends'), charts),
    h('section', {class: 'card'}, h('h2', {}, 'Alerts'), alertList),
    h('section', {class: 'card'}, h('h2', {}, 'Live feed ', live), feed),
    h('section', {class: 'card'}, h('h2', {}, 'Rules'),
      h('table', {}, h('thead', {}, h('tr', {}, ['name', 'entity', 'metric', 'detector', 'settings', ''].map((t) => h('th', {}, t)))), ruleBody),
      ruleForm(async (rule) => {
        await api.send('PUT', `${path}/rules/${encodeURIComponent(rule.name)}`, rule);
        await loadRules();
      })));
  await loadAlerts();
  await Promise.all([drawTrends(), loadRules()]);
  for (const d of (await api.get(`${path}/documents?limit=${feedLimit}`)).documents) feed.append(documentRow(d));

  // The live feed: documents as they are stored, alerts as they open or close.
  const response = await fetch(`${path}/events`, {headers: {Authorization: `Bearer ${api.key}`}, signal});
  if (!response.ok) { live.textContent = `live feed unavailable (${response.status})`; return; }
  live.textContent = 'live';
  live.dataset.connected = 'true';
  let redraw = null;
  readEvents(response, (event, data) => {
    if (event === 'document') {
      feed.prepend(documentRow(data));
      while (feed.children.length > feedLimit) feed.lastChild.remove();
    } else if (event === 'alert') {
      const alert = {...data.alert, driving_documents: data.documents};
      alerts = [alert, ...alerts.filter((a) => a.id !== alert.id)];
      alertList.replaceChildren(...alerts.map(alertRow));
    }
    // Redraw the charts at most once a second.
    redraw ??= setTimeout(() => { redraw = null; drawTrends().catch(() => {}); }, 1000);
  }).catch((error) => {
    if (error.name !== 'AbortError') live.textContent = `live feed ended (${error.message})`;
  });
}

export default {
  id: 'monitors',
  title: 'Monitors',
  async render(root, {api}) {
    root.append(h('h1', {}, 'Monitors'));
    const monitors = (await api.get('/v1/monitors')).monitors;
    if (monitors.length === 0) {
      root.append(h('p', {class: 'card muted', id: 'monitors-empty'}, 'No monitor yet: create one with PUT /v1/monitors/NAME (admin key).'));
      return undefined;
    }
    const controller = new AbortController();
    const body = h('div', {id: 'monitor-body'});
    const choose = h('select', {id: 'monitor-select'}, monitors.map((m) => h('option', {value: m.name}, m.name)));
    root.append(h('p', {}, h('label', {}, 'Monitor ', choose), ' ',
      h('span', {class: 'muted', id: 'monitor-config'})), body);
    let current = null;
    async function show(name) {
      current?.abort();
      current = new AbortController();
      controller.signal.addEventListener('abort', () => current.abort());
      const config = monitors.find((m) => m.name === name);
      root.querySelector('#monitor-config').textContent =
        `sentiment ${config.sentiment_model}, ${config.bucket} buckets, watching ${Object.keys(config.watchlist ?? {}).join(', ') || 'tagged entities'}`;
      body.replaceChildren();
      try {
        await showMonitor(body, api, name, current.signal);
      } catch (error) {
        if (error.name === 'AbortError') return;
        body.append(h('p', {class: 'error', role: 'alert'},
          error instanceof APIError ? `${error.code}: ${error.message}` : error.message));
      }
    }
    choose.addEventListener('change', () => { show(choose.value); });
    await show(monitors[0].name);
    return () => controller.abort();
  },
};
