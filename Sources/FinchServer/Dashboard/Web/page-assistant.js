// Assistant playground: ask a question of an FAQ collection and see the answer, its calibrated
// confidence, the alternatives and whether it was handed off to a person; mark the answer right
// or wrong (posted to /v1/feedback as {collection, query, entry}, entry null for "none of these").
import {append, h, formatNumber} from './dom.js';

function sessionID() {
  return `dashboard-${crypto.randomUUID()}`;
}

function collectionNames(body) {
  const list = Array.isArray(body) ? body : (body.collections ?? []);
  return list.map((collection) => (typeof collection === 'string' ? collection : collection.name));
}

export default {
  id: 'assistant',
  title: 'Assistant',
  async render(root, {api}) {
    let names = [];
    let loadError = null;
    try {
      names = collectionNames(await api.get('/v1/assistant'));
    } catch (error) {
      loadError = error;
    }
    const session = sessionID();
    const collectionSelect = h('select', {id: 'assistant-collection'}, names.map((name) => h('option', {value: name}, name)));
    const query = h('input', {id: 'assistant-query', type: 'text', placeholder: 'Ask as a customer would', autocomplete: 'off'});
    const ask = h('button', {type: 'submit', id: 'assistant-ask', disabled: names.length === 0}, 'Ask');
    const output = h('div', {class: 'result', id: 'assistant-result', 'aria-live': 'polite'});
    const form = h('form', {class: 'card', id: 'assistant-form'},
      h('div', {class: 'row'},
        h('div', {}, h('label', {for: 'assistant-collection'}, 'Collection'), collectionSelect),
        h('div', {}, h('label', {for: 'assistant-query'}, 'Question'), query)),
      ask,
      h('p', {class: 'muted'}, `Session ${session}`));

    const showError = (target, error, id) => target.replaceChildren(h('p', {class: 'error', role: 'alert', id},
      `${error.status || ''} ${error.code || ''}: ${error.message}${error.field ? ` (field ${error.field})` : ''}`));

    /** Posts the person's verdict: `entry` is the right entry's id, or null for "none of these". */
    const mark = async (status, collection, text, entry) => {
      status.replaceChildren(h('span', {class: 'muted'}, 'Sending…'));
      try {
        await api.post('/v1/feedback', {collection, query: text, entry});
        status.replaceChildren(h('span', {id: 'assistant-feedback-sent'}, entry ? `Recorded: ${entry} is right.` : 'Recorded: none of these.'));
      } catch (error) {
        showError(status, error, 'assistant-feedback-error');
      }
    };

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const collection = collectionSelect.value;
      const text = query.value.trim();
      if (!text) return;
      ask.disabled = true;
      output.replaceChildren(h('p', {class: 'muted'}, 'Asking…'));
      try {
        const {body} = await api.post(`/v1/assistant/${encodeURIComponent(collection)}/ask`, {query: text, session});
        const status = h('p', {id: 'assistant-feedback-status', 'aria-live': 'polite'});
        const confidence = h('div', {class: 'scorebar'}, h('span', {}, 'Confidence'), h('div', {class: 'bar'}),
          h('span', {class: 'num', id: 'assistant-confidence'}, formatNumber(body.confidence, 3)));
        // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
        confidence.querySelector('.bar').style.width = `${Math.max(1, Math.round((body.confidence ?? 0) * 100))}%`;
        // Through dom.js's append: the DOM's own append would write a skipped part as the text "null".
        output.replaceChildren();
        append(output, [
          body.handoff
            ? h('p', {class: 'handoff', id: 'assistant-handoff'}, h('strong', {}, 'Handed off to a person: '), body.reason ?? '')
            : null,
          h('h2', {}, body.handoff ? 'Best guess' : 'Answer'),
          h('p', {id: 'assistant-answer'}, body.answer ?? '(nothing matched)'),
          h('p', {class: 'muted'}, `entry ${body.entry ?? '–'} · score ${formatNumber(body.score, 4)} · ${formatNumber(body.latency_ms, 1)} ms`),
          confidence,
          h('div', {class: 'row'},
            h('button', {type: 'button', id: 'assistant-mark-right', disabled: !body.entry,
              onclick: () => mark(status, collection, text, body.entry)}, 'Right'),
            h('button', {type: 'button', id: 'assistant-mark-wrong', onclick: () => mark(status, collection, text, null)},
              'Wrong: none of these')),
          h('h2', {}, 'Alternatives'),
          h('ol', {id: 'assistant-alternatives'}, (body.alternatives ?? []).map((alternative) => h('li', {'data-entry': alternative.entry},
            h('span', {}, alternative.question), ' ', h('span', {class: 'muted'}, formatNumber(alternative.score, 4)), ' ',
            h('button', {type: 'button', class: 'pick', onclick: () => mark(status, collection, text, alternative.entry)},
              'This one is right')))),
          status,
          h('pre', {class: 'json', id: 'assistant-json'}, JSON.stringify(body, null, 2))]);
      } catch (error) {
        showError(output, error, 'assistant-error');
      } finally {
        ask.disabled = names.length === 0;
      }
    });

    append(root, [h('h1', {}, 'Assistant'),
      loadError ? h('p', {class: 'error', role: 'alert'}, loadError.message) : null,
      names.length === 0 && !loadError
        ? h('p', {class: 'muted', id: 'assistant-empty'}, 'No FAQ collection yet: import one with PUT /v1/assistant/{name}.')
        : null,
      form, output]);
  },
};
