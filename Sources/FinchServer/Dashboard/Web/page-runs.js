// Runs page: the training runs recorded in the runs folder (GET /v1/runs), newest first; tick two
// or more and compare them side by side with a metric's curves (GET /v1/runs/compare), the same
// table and chart as `finch runs compare`.
import {h} from './dom.js';

function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
}

function best(run) {
  return run.best ? `${run.best.metric} ${run.best.value.toFixed(4)} @ ${run.best.step}` : '–';
}

function runRow(run) {
  return h('tr', {class: 'run', 'data-run': run.id},
    h('td', {}, h('input', {type: 'checkbox', class: 'pick', value: run.id, 'aria-label': `compare run ${run.id}`})),
    h('td', {class: 'num'}, run.id),
    h('td', {}, run.kind),
    h('td', {class: 'mono'}, run.model),
    h('td', {}, h('span', {class: `badge run-${run.status}`}, run.status)),
    h('td', {class: 'muted'}, new Date(run.started_at).toLocaleString()),
    h('td', {class: 'num'}, duration(run.seconds)),
    h('td', {}, best(run)));
}

function comparison(result) {
  const chart = h('img', {
    class: 'curves', alt: `${result.metric} of the compared runs`,
    // The service's SVG (its text escaped), shown as an image: nothing in it runs as script.
    src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.svg)}`,
  });
  return h('section', {class: 'card comparison', id: 'run-comparison'},
    h('h2', {}, `Runs ${result.runs.map((r) => r.id).join(', ')}: ${result.metric}`),
    chart,
    h('table', {},
      h('thead', {}, h('tr', {}, result.header.map((cell) => h('th', {}, cell)))),
      h('tbody', {}, result.rows.map((row) => h('tr', {class: row[0].startsWith('* ') ? 'differs' : undefined},
        row.map((cell, i) => i === 0 ? h('th', {}, cell) : h('td', {class: 'mono'}, cell)))))));
}

export default {
  id: 'runs',
  title: 'Runs',
  async render(root, {api}) {
    root.append(h('h1', {}, 'Training runs'));
    const {runs} = await api.get('/v1/runs');
    if (!runs || runs.length === 0) {
      root.append(h('p', {class: 'card muted', id: 'runs-empty'},
        'No run is recorded in the service\'s runs folder yet (finch train … --runs DIR records into it).'));
      return;
    }
    const metric = h('input', {id: 'run-metric', value: 'loss', list: 'run-metrics', 'aria-label': 'metric'});
    const metrics = h('datalist', {id: 'run-metrics'},
      ['loss', 'lr', 'grad_norm', 'eval_loss', 'eval_accuracy', 'eval_f1'].map((m) => h('option', {value: m})));
    const message = h('p', {class: 'error', role: 'alert', hidden: true});
    const output = h('div', {id: 'run-comparison-area'});
    const button = h('button', {type: 'button', id: 'compare-runs'}, 'Compare');
    button.addEventListener('click', async () => {
      const ids = [...root.querySelectorAll('input.pick:checked')].map((box) => Number(box.value)).sort((a, b) => a - b);
      message.hidden = true;
      if (ids.length < 2) {
        message.textContent = 'Tick two or more runs to compare.';
        message.hidden = false;
        return;
      }
      try {
        const query = `ids=${ids.join(',')}&metric=${encodeURIComponent(metric.value || 'loss')}`;
        output.replaceChildren(comparison(await api.get(`/v1/runs/compare?${query}`)));
      } catch (error) {
        message.textContent = error.message;
        message.hidden = false;
      }
    });
    root.append(
      h('section', {class: 'card runs'},
        h('table', {},
          h('thead', {}, h('tr', {}, ['', 'id', 'kind', 'model', 'status', 'started', 'duration', 'best']
            .map((name) => h('th', {}, name)))),
          h('tbody', {id: 'run-rows'}, runs.map(runRow))),
        h('p', {}, h('label', {for: 'run-metric'}, 'Metric '), metric, metrics, ' ', button),
        message),
      output);
  },
};
