// Hand-off queue: the questions the assistant handed to a person, oldest first, per collection;
// a person writes the answer they gave and resolves the hand-off. Needs a write key.
import {h, formatNumber} from './dom.js';

export default {
  id: 'handoffs',
  title: 'Hand-offs',
  async render(root, {api}) {
    let names = [];
    try {
      const body = await api.get('/v1/assistant');
      names = (body.collections ?? []).map((collection) => collection.name);
    } catch (error) {
      root.append(h('h1', {}, 'Hand-offs'), h('p', {class: 'error', role: 'alert'}, error.message));
      return;
    }
    const collectionSelect = h('select', {id: 'handoffs-collection'}, names.map((name) => h('option', {value: name}, name)));
    const list = h('div', {id: 'handoffs-list', 'aria-live': 'polite'});

    const load = async () => {
      const collection = collectionSelect.value;
      if (!collection) {
        list.replaceChildren(h('p', {class: 'muted'}, 'No FAQ collection yet.'));
        return;
      }
      let open;
      try {
        open = (await api.get(`/v1/assistant/${encodeURIComponent(collection)}/handoffs`)).handoffs ?? [];
      } catch (error) {
        const hint = error.status === 403 ? ' (the queue needs a key with write scope)' : '';
        list.replaceChildren(h('p', {class: 'error', role: 'alert', id: 'handoffs-error'}, `${error.message}${hint}`));
        return;
      }
      if (open.length === 0) {
        list.replaceChildren(h('p', {class: 'muted', id: 'handoffs-empty'}, 'No open hand-off.'));
        return;
      }
      list.replaceChildren(h('table', {},
        h('thead', {}, h('tr', {}, ['Asked', 'Question', 'Why', 'Confidence', 'Answer'].map((title) => h('th', {}, title)))),
        h('tbody', {}, open.map((handoff) => {
          const answer = h('textarea', {rows: 2, class: 'handoff-answer', 'aria-label': 'Answer given'});
          const message = h('span', {class: 'muted'});
          const resolve = h('button', {type: 'button', class: 'handoff-resolve'}, 'Resolve');
          resolve.addEventListener('click', async () => {
            if (!answer.value.trim()) {
              message.textContent = 'Write the answer you gave first.';
              return;
            }
            resolve.disabled = true;
            try {
              await api.post(`/v1/assistant/${encodeURIComponent(collection)}/handoffs/${encodeURIComponent(handoff.id)}/resolve`,
                {answer: answer.value.trim()});
              await load();
            } catch (error) {
              message.textContent = error.message;
              resolve.disabled = false;
            }
          });
          return h('tr', {'data-id': handoff.id},
            h('td', {}, new Date(handoff.created_at).toLocaleString()),
            h('td', {}, handoff.query ?? h('span', {class: 'muted'}, '(text not kept)')),
            h('td', {}, handoff.reason ?? ''),
            h('td', {class: 'num'}, formatNumber(handoff.confidence, 3)),
            h('td', {}, answer, resolve, message));
        }))));
    };
    collectionSelect.addEventListener('change', load);

    root.append(h('h1', {}, 'Hand-offs'),
      h('div', {class: 'card row'}, h('div', {}, h('label', {for: 'handoffs-collection'}, 'Collection'), collectionSelect),
        h('button', {type: 'button', id: 'handoffs-refresh', onclick: load}, 'Refresh')),
      list);
    await load();
  },
};
