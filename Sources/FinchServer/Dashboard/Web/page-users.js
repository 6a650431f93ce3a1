// Users page: one end user's consent (GET/PUT /v1/users/{id}/consent) and their erasure
// (DELETE /v1/users/{id}, admin). Erasing asks for the id to be typed again.
import {h} from './dom.js';

function userPath(id) { return `/v1/users/${encodeURIComponent(id)}`; }

function consentCard(api, id, consent) {
  const personalization = h('input', {type: 'checkbox', id: 'consent-personalization', checked: consent.personalization === true});
  const texts = h('input', {type: 'checkbox', id: 'consent-texts', checked: consent.store_texts_for_training === true});
  const source = h('span', {id: 'consent-source', class: 'badge'}, consent.source === 'user' ? 'set by the user' : 'deployment default');
  const status = h('p', {id: 'consent-status', class: 'muted'});
  const save = h('button', {id: 'consent-save'}, 'Save consent');
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      const {body} = await api.send('PUT', `${userPath(id)}/consent`,
        {personalization: personalization.checked, store_texts_for_training: texts.checked});
      source.textContent = body.source === 'user' ? 'set by the user' : 'deployment default';
      status.className = 'good';
      status.textContent = 'Saved.';
    } catch (error) {
      status.className = 'error';
      status.textContent = `Not saved: ${error.message}`;
    } finally {
      save.disabled = false;
    }
  });

  const confirm = h('input', {id: 'erase-confirm', placeholder: 'type the user id again to erase', autocomplete: 'off'});
  const erase = h('button', {id: 'user-erase', disabled: true}, 'Erase this user');
  const report = h('div', {id: 'erase-result'});
  confirm.addEventListener('input', () => { erase.disabled = confirm.value !== id; });
  erase.addEventListener('click', async () => {
    erase.disabled = true;
    try {
      const {body} = await api.send('DELETE', userPath(id));
      const kinds = Object.entries(body.removed ?? {}).sort(([a], [b]) => a.localeCompare(b));
      report.replaceChildren(
        h('p', {class: 'good'}, 'Erased. A tombstone keeps the user out of retraining; the audit trail records the erasure.'),
        h('ul', {id: 'erase-report'}, kinds.map(([kind, count]) => h('li', {'data-kind': kind}, `${kind}: ${count} removed`))));
    } catch (error) {
      report.replaceChildren(h('p', {class: 'error', role: 'alert'}, `Not erased: ${error.message}`));
      erase.disabled = false;
    }
  });

  return h('section', {class: 'card', id: 'user-card', 'data-user': id},
    h('h2', {}, id, ' ', source),
    h('label', {class: 'nowrap'}, personalization, ' personalization (recommendations and answers use their history)'),
    h('label', {class: 'nowrap'}, texts, ' keep their texts for training'),
    save, status,
    h('h2', {}, 'Erase'),
    h('p', {class: 'muted'}, 'Removes their events, feedback, sessions, profile and consent from every store (admin key).'),
    confirm, erase, report);
}

export default {
  id: 'users',
  title: 'Users',
  async render(root, {api}) {
    root.append(h('h1', {}, 'Users'));
    const input = h('input', {id: 'user-id', placeholder: 'user id', autocomplete: 'off'});
    const slot = h('div', {id: 'user-slot'});
    const form = h('form', {class: 'card', id: 'user-form'},
      h('label', {for: 'user-id'}, 'User'), input, h('button', {id: 'user-lookup', type: 'submit'}, 'Look up'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const id = input.value.trim();
      if (!id) return;
      try {
        const consent = await api.get(`${userPath(id)}/consent`);
        slot.replaceChildren(consentCard(api, id, consent));
      } catch (error) {
        slot.replaceChildren(h('p', {class: 'error', role: 'alert'}, `Could not look up ${id}: ${error.message}`));
      }
    });
    root.append(form, slot);
  },
};
