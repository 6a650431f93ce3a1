// Metrics page: live request rates and latencies per route, read from /metrics every two seconds.
import {h, svg, formatNumber, formatMilliseconds} from './dom.js';
import {parseMetrics, routeStatistics, gaugeSum, histogramMean} from './prometheus.js';

const intervalMilliseconds = 2000;
const historyLength = 60;

function sparkline(values) {
  const width = 300;
  const height = 60;
  const top = Math.max(1, ...values.filter(Number.isFinite));
  const points = values.map((value, index) => {
    const x = values.length > 1 ? (index / (historyLength - 1)) * width : 0;
    const y = height - 2 - ((Number.isFinite(value) ? value : 0) / top) * (height - 4);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  return svg('svg', {class: 'spark', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img'},
    svg('polyline', {points: points.join(' ')}));
}

function tile(id, label, value, extra) {
  return h('div', {class: 'tile', id}, h('div', {class: 'label'}, label), h('div', {class: 'value'}, value), extra);
}

export default {
  id: 'metrics',
  title: 'Metrics',
  async render(root, {api}) {
    const tiles = h('div', {class: 'tiles'});
    const table = h('tbody', {id: 'metrics-routes'});
    const status = h('p', {class: 'muted', id: 'metrics-status'}, 'Reading /metrics…');
    root.append(h('h1', {}, 'Metrics'), tiles,
      h('section', {class: 'card'}, h('h2', {}, 'Requests by route'),
        h('table', {}, h('thead', {}, h('tr', {},
          h('th', {}, 'route'), h('th', {}, 'method'), h('th', {class: 'num'}, 'requests/s'),
          h('th', {class: 'num'}, 'p50'), h('th', {class: 'num'}, 'p99'),
          h('th', {class: 'num'}, 'requests'), h('th', {class: 'num'}, '5xx'))), table)),
      status);

    let previous = null;
    let previousTime = 0;
    let totals = null;
    const history = [];

    const update = async () => {
      const text = await api.get('/metrics');
      const now = performance.now();
      const current = parseMetrics(typeof text === 'string' ? text : '');
      const recent = previous ? routeStatistics(current, previous, (now - previousTime) / 1000) : [];
      totals = routeStatistics(current, null, 0);
      previous = current;
      previousTime = now;
      const rate = recent.reduce((sum, row) => sum + row.rate, 0);
      history.push(previous && recent.length ? rate : 0);
      while (history.length > historyLength) history.shift();
      const recentByRoute = new Map(recent.map((row) => [`${row.method} ${row.route}`, row]));
      const queue = gaugeSum(current, ['queue_depth']);
      const batch = histogramMean(current, ['batch_inputs']);
      tiles.replaceChildren(
        tile('metrics-rate', 'requests/s (all routes)', formatNumber(rate), sparkline(history)),
        tile('metrics-total', 'requests since start', formatNumber(totals.reduce((s, r) => s + r.requests, 0), 0)),
        tile('metrics-queue', 'queue depth', formatNumber(queue, 0)),
        tile('metrics-batch', 'mean batch size', formatNumber(batch)));
      table.replaceChildren(...totals.map((row) => {
        const live = recentByRoute.get(`${row.method} ${row.route}`);
        const latency = live && live.requests > 0 ? live : row;
        return h('tr', {'data-route': row.route},
          h('td', {class: 'mono'}, row.route), h('td', {}, row.method),
          h('td', {class: 'num'}, formatNumber(live ? live.rate : NaN)),
          h('td', {class: 'num'}, formatMilliseconds(latency.p50)),
          h('td', {class: 'num'}, formatMilliseconds(latency.p99)),
          h('td', {class: 'num'}, formatNumber(row.requests, 0)),
          h('td', {class: row.errors > 0 ? 'num error' : 'num'}, formatNumber(row.errors, 0)));
      }));
      status.textContent = `Updated ${new Date().toLocaleTimeString()}; latencies are over the last `
        + `${intervalMilliseconds / 1000} s when there were requests, else since start.`;
    };

    await update();
    const timer = setInterval(() => update().catch((error) => { status.textContent = `Could not read /metrics: ${error.message}`; }),
      intervalMilliseconds);
    return () => clearInterval(timer);
  },
};
