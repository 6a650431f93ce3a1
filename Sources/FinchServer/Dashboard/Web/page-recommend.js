// Recommendations: explore one user's list (pick or create a user, add events, watch the list
// and its reasons change), browse the catalogue with each item's similar items, and see the
// catalogue and coverage charts (popularity long tail, coverage of the top-k lists).
import {h, svg, formatNumber} from './dom.js';

const percent = (share) => `${formatNumber(100 * share, 1)} %`;
const text = (attributes, content) => svg('text', attributes, document.createTextNode(content));

/** Items per bucket of events per item (log-spaced: 0, 1, 2–3, 4–7, …), one labelled bar each. */
function popularityChart(buckets) {
  const width = 520, height = 220, top = 20, bottom = 40, left = 8;
  const plot = height - top - bottom;
  const step = (width - 2 * left) / Math.max(buckets.length, 1);
  const max = Math.max(1, ...buckets.map((b) => b.items));
  const label = (b) => (b.min_events === b.max_events ? `${b.min_events}` : `${b.min_events}–${b.max_events}`);
  const bars = buckets.map((b, i) => {
    const x = left + i * step, barHeight = (b.items / max) * plot;
    return svg('g', {class: 'bucket', 'data-min': b.min_events, 'data-max': b.max_events, 'data-items': b.items},
      svg('rect', {class: 'volume', x: x + 2, y: top + plot - barHeight, width: Math.max(step - 4, 1), height: barHeight},
        svg('title', {}, document.createTextNode(`${b.items} items with ${label(b)} events`))),
      text({class: 'value', x: x + step / 2, y: top + plot - barHeight - 4, 'text-anchor': 'middle'}, `${b.items}`),
      text({class: 'label', x: x + step / 2, y: top + plot + 16, 'text-anchor': 'middle'}, label(b)));
  });
  return h('figure', {class: 'chart'},
    h('figcaption', {}, h('strong', {}, 'Popularity'), ' ',
      h('span', {class: 'muted'}, 'items per bucket of events per item (log-spaced)')),
    svg('svg', {id: 'rec-popularity-chart', class: 'rec-chart', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img',
      'aria-label': 'items per bucket of events per item'},
    svg('line', {class: 'axis', x1: left, x2: width - left, y1: top + plot, y2: top + plot}),
    bars,
    text({class: 'label', x: width / 2, y: height - 4, 'text-anchor': 'middle'}, 'events per item')));
}

/** Coverage, Gini of exposure and the top items' share of events as labelled 0–100 % bars. */
function coverageChart(stats) {
  const rows = [
    {key: 'coverage', name: `coverage (${stats.coverage.covered_items} of ${stats.counts.servable_items} servable items)`,
      value: stats.coverage.coverage, shown: percent(stats.coverage.coverage)},
    {key: 'gini', name: 'Gini of exposure', value: stats.coverage.gini, shown: formatNumber(stats.coverage.gini, 3)},
    ...stats.popularity.top_shares.map((s) => ({key: `top-${Math.round(100 * s.top_fraction)}`,
      name: `events held by the top ${formatNumber(100 * s.top_fraction, 0)} % of items (${s.items})`,
      value: s.event_share, shown: percent(s.event_share)})),
  ];
  const width = 520, rowHeight = 34, labelWidth = 280, barWidth = width - labelWidth - 70;
  const height = rows.length * rowHeight + 6;
  return h('figure', {class: 'chart'},
    h('figcaption', {}, h('strong', {}, 'Coverage'), ' ',
      h('span', {class: 'muted'},
        `top-${stats.coverage.k} lists of ${stats.coverage.sample_users} sampled users (seed ${stats.coverage.seed})`)),
    svg('svg', {id: 'rec-coverage-chart', class: 'rec-chart', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img',
      'aria-label': 'coverage, Gini and top items\' share of events'},
    rows.map((row, i) => {
      const y = 4 + i * rowHeight;
      return svg('g', {class: 'bar', 'data-key': row.key, 'data-value': row.value},
        text({class: 'label', x: 0, y: y + 19}, row.name),
        svg('rect', {class: 'track', x: labelWidth, y: y + 4, width: barWidth, height: 20}),
        svg('rect', {class: 'fill', x: labelWidth, y: y + 4, width: Math.max(0, Math.min(1, row.value)) * barWidth, height: 20}),
        text({class: 'value', x: labelWidth + barWidth + 8, y: y + 19}, row.shown));
    })));
}

function reasonLine(reasons) {
  if (!reasons || reasons.length === 0) return null;
  return h('ul', {class: 'reasons muted'}, reasons.map((reason) =>
    h('li', {}, reason.text, ' ', h('span', {class: 'num'}, `(${formatNumber(reason.contribution, 3)})`))));
}

export default {
  id: 'recommend',
  title: 'Recommendations',
  async render(root, {api}) {
    let items = [];
    const status = h('p', {class: 'muted', id: 'rec-status', 'aria-live': 'polite'});
    try {
      items = (await api.get('/v1/items?limit=1000')).items ?? [];
    } catch (error) {
      root.replaceChildren(h('section', {class: 'card'}, h('h2', {}, 'Recommendations'),
        h('p', {class: 'error', id: 'rec-error'}, error.message)));
      return;
    }
    const name = (id) => (items.find((item) => item.id === id)?.title || id);

    // Explorer
    const userInput = h('input', {id: 'rec-user', value: 'visitor-1', autocomplete: 'off'});
    const itemSelect = h('select', {id: 'rec-item'}, items.map((item) => h('option', {value: item.id}, item.title || item.id)));
    const typeInput = h('input', {id: 'rec-type', value: 'view', autocomplete: 'off'});
    const source = h('p', {id: 'rec-source', class: 'muted'});
    const list = h('ol', {id: 'rec-list'});
    const history = h('ul', {id: 'rec-history', class: 'muted'});

    // Catalogue and coverage: loaded with the page, after each stored event, and when the model version changes.
    const statsBox = h('div', {id: 'rec-stats'});
    let statsVersion = null;
    const loadStats = async () => {
      try {
        const stats = await api.get('/v1/recommend/stats?k=10&sample=500');
        statsVersion = stats.model_version;
        const c = stats.counts;
        statsBox.replaceChildren(
          h('p', {id: 'rec-stats-summary', class: 'muted'},
            `model ${stats.model} version ${stats.model_version}: ${c.users} users, ${c.items} items (${c.servable_items} servable), ${c.events} events`),
          h('div', {class: 'charts'}, popularityChart(stats.popularity.buckets), coverageChart(stats)));
      } catch (error) {
        statsBox.replaceChildren(h('p', {class: 'error', id: 'rec-stats-error'}, error.message));
      }
    };

    const show = async () => {
      const user = userInput.value.trim();
      if (!user) return;
      const body = await api.get(`/v1/users/${encodeURIComponent(user)}/recommendations?k=10&explain=true`);
      if (statsVersion !== null && body.model_version !== statsVersion) loadStats();
      source.textContent = `source: ${body.source}${body.personalized ? '' : ' (no personalization consent)'} · model version ${body.model_version}`;
      list.replaceChildren(...body.items.map((entry) => h('li', {'data-item': entry.item},
        h('strong', {}, name(entry.item)), ' ', h('span', {class: 'num muted'}, formatNumber(entry.score, 3)),
        reasonLine(entry.reasons))));
      // A user without events has no profile yet (the popular list answers them).
      if (body.source === 'popular') {
        history.replaceChildren();
        return;
      }
      const profile = await api.get(`/v1/users/${encodeURIComponent(user)}/profile`);
      history.replaceChildren(...profile.last_events.map((event) => h('li', {}, `${event.type} ${name(event.item)}`)));
    };

    const load = h('button', {type: 'button', id: 'rec-load'}, 'Show list');
    load.addEventListener('click', () => show().catch((error) => { status.textContent = error.message; }));
    const add = h('button', {type: 'submit', id: 'rec-add'}, 'Add event');
    const form = h('form', {class: 'card', id: 'rec-form'},
      h('h2', {}, 'Explorer'),
      h('div', {class: 'row'},
        h('div', {}, h('label', {for: 'rec-user'}, 'User'), userInput, load),
        h('div', {}, h('label', {for: 'rec-item'}, 'Item'), itemSelect),
        h('div', {}, h('label', {for: 'rec-type'}, 'Event type'), typeInput)),
      add, status, source, list, h('h3', {}, 'Latest events'), history);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const {body} = await api.post('/v1/events', {events: [{
          user: userInput.value.trim(), item: itemSelect.value, type: typeInput.value.trim(), time: Date.now() / 1000,
        }]});
        status.textContent = `stored ${body.accepted} event(s)`;
        await show();
        await loadStats();
      } catch (error) {
        status.textContent = error.message;
      }
    });

    // Catalogue
    const similar = h('div', {id: 'rec-similar'});
    const rows = items.map((item) => {
      const button = h('button', {type: 'button', class: 'link', 'data-item': item.id}, item.title || item.id);
      button.addEventListener('click', async () => {
        try {
          const body = await api.get(`/v1/items/${encodeURIComponent(item.id)}/similar?k=5`);
          similar.replaceChildren(h('h3', {}, `Similar to ${item.title || item.id}`),
            h('ol', {}, body.items.map((entry) => h('li', {}, name(entry.item), ' ',
              h('span', {class: 'num muted'}, formatNumber(entry.score, 3))))));
        } catch (error) {
          similar.replaceChildren(h('p', {class: 'error'}, error.message));
        }
      });
      return h('tr', {},
        h('td', {}, button), h('td', {}, (item.categories ?? []).join(', ')),
        h('td', {}, item.available ? 'yes' : 'no'), h('td', {}, item.recommendable ? 'yes' : 'no'));
    });
    const catalogue = h('section', {class: 'card'}, h('h2', {}, 'Catalogue'),
      h('table', {id: 'rec-items'},
        h('thead', {}, h('tr', {}, h('th', {}, 'Item'), h('th', {}, 'Categories'), h('th', {}, 'Available'), h('th', {}, 'Servable'))),
        h('tbody', {}, rows)),
      similar);

    const refresh = h('button', {type: 'button', id: 'rec-stats-refresh'}, 'Refresh');
    refresh.addEventListener('click', () => loadStats());
    const coverage = h('section', {class: 'card', id: 'rec-coverage'}, h('h2', {}, 'Catalogue and coverage'), refresh, statsBox);

    root.replaceChildren(form, catalogue, coverage);
    await loadStats();
    await show().catch((error) => { status.textContent = error.message; });
  },
};
