// Feedback page: the corrections the service stored (GET /v1/feedback), newest last, filtered by
// model or collection. Inputs are shown as stored: after PII redaction, empty when not kept.
import {h} from './dom.js';

function answerText(item) {
  if (item.kind === 'classification') return item.label ?? '';
  if (item.kind === 'entities') {
    return (item.entities ?? []).map((span) => `${span.type} [${span.start}, ${span.end})`).join(', ') || 'no entities';
  }
  return item.entry === null || item.entry === undefined ? 'none of these' : `entry ${item.entry}`;
}

function rows(items) {
  return items.map((item) => h('tr', {class: 'feedback', 'data-id': item.id},
    h('td', {class: 'muted nowrap'}, item.created_at ? new Date(item.created_at).toLocaleString() : ''),
    h('td', {}, h('span', {class: 'badge'}, item.kind)),
    h('td', {}, item.model ?? item.collection ?? ''),
    h('td', {class: item.input === null ? 'muted' : ''}, item.input ?? '(not kept: no consent)'),
    h('td', {class: 'answer'}, answerText(item)),
    h('td', {class: 'mono'}, item.key_id ?? ''),
    h('td', {class: 'muted'}, item.user ?? '')));
}

export default {
  id: 'feedback',
  title: 'Feedback',
  async render(root, {api}) {
    root.append(h('h1', {}, 'Feedback'));
    const filter = h('input', {id: 'feedback-filter', placeholder: 'model or collection (all when empty)'});
    const table = h('tbody', {id: 'feedback-rows'});
    const summary = h('p', {class: 'muted', id: 'feedback-summary'});
    async function load() {
      const name = filter.value.trim();
      const query = name ? `?model=${encodeURIComponent(name)}&limit=500` : '?limit=500';
      let items = (await api.get(`/v1/feedback${query}`)).feedback ?? [];
      if (name && items.length === 0) {
        items = (await api.get(`/v1/feedback?collection=${encodeURIComponent(name)}&limit=500`)).feedback ?? [];
      }
      table.replaceChildren(...rows(items));
      summary.textContent = items.length === 0 ? 'No feedback yet.' : `${items.length} corrections (the newest 500 at most).`;
    }
    root.append(h('form', {class: 'card', id: 'feedback-form', onsubmit: (event) => { event.preventDefault(); load(); }},
      filter, ' ', h('button', {type: 'submit'}, 'Show')));
    root.append(h('section', {class: 'card'}, summary,
      h('table', {},
        h('thead', {}, h('tr', {},
          h('th', {}, 'when'), h('th', {}, 'kind'), h('th', {}, 'model / collection'), h('th', {}, 'input (as stored)'),
          h('th', {}, 'right answer'), h('th', {}, 'key'), h('th', {}, 'user'))),
        table)));
    await load();
  },
};
