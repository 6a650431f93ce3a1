// Recommendations: explore one user's list (pick or create a user, add events, watch the list
// and its reasons change) and browse the catalogue with each item's similar items.
import {h, formatNumber} from './dom.js';

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

    const show = async () => {
      const user = userInput.value.trim();
      if (!user) return;
      const body = await api.get(`/v1/users/${encodeURIComponent(user)}/recommendations?k=10&explain=true`);
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

    root.replaceChildren(form, catalogue);
    await show().catch((error) => { status.textContent = error.message; });
  },
};
