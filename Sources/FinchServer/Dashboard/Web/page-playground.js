// Playground: calls embed, classify, entities or search with the signed-in key and shows the
// answer both readably and as the raw JSON the API returned. For classifiers and taggers, "Explain"
// asks /v1/explain (integrated gradients) about the first input and shades its words.
import {h, formatNumber} from './dom.js';

const tasks = {
  embed: {title: 'Embed', kinds: ['embedder'], path: '/v1/embed', example: 'How do I reset my password?'},
  classify: {title: 'Classify', kinds: ['classifier'], path: '/v1/classify', example: 'What a wonderful film!'},
  entities: {title: 'Entities', kinds: ['tagger'], path: '/v1/entities', example: 'Mary visited Paris in May.'},
  search: {title: 'Search', kinds: ['embedder'], path: '/v1/search', example: 'I forgot my password'},
};

/** Per-input results whatever the wrapper: a bare array or {results: [...]}. */
function perInput(body) {
  if (Array.isArray(body)) return body;
  return body.results ?? body.predictions ?? body.entities ?? [];
}

function scoreBars(scored) {
  return scored.map((item) => {
    const bar = h('div', {class: 'bar'});
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    bar.style.width = `${Math.max(1, Math.round((item.score ?? 0) * 100))}%`;
    return h('div', {class: 'scorebar'},
      h('span', {}, item.label ?? item.text ?? item.id ?? `#${item.index}`), bar,
      h('span', {class: 'num'}, formatNumber(item.score, 3)));
  });
}

function highlighted(text, entities) {
  const parts = [];
  let at = 0;
  for (const entity of [...entities].sort((a, b) => a.start - b.start)) {
    if (entity.start < at) continue;
    parts.push(text.slice(at, entity.start));
    parts.push(h('mark', {class: 'entity', title: formatNumber(entity.score, 3)},
      text.slice(entity.start, entity.end), h('sup', {}, entity.entity_group)));
    at = entity.end;
  }
  parts.push(text.slice(at));
  return h('p', {}, parts);
}

function readable(task, inputs, body) {
  switch (task) {
  case 'embed': {
    const vectors = body.embeddings ?? [];
    return vectors.map((vector, index) => h('p', {},
      h('strong', {}, inputs[index] ?? `input ${index}`), ` → ${vector.length} dimensions: `,
      h('span', {class: 'mono'}, `[${vector.slice(0, 6).map((value) => value.toFixed(4)).join(', ')}, …]`)));
  }
  case 'classify':
    return perInput(body).map((scores, index) => h('div', {}, h('strong', {}, inputs[index]), scoreBars(scores)));
  case 'entities':
    return perInput(body).map((entities, index) => highlighted(inputs[index] ?? '', entities));
  case 'search': {
    const hits = body.results ?? body.hits ?? [];
    return [h('ol', {}, hits.map((hit) => h('li', {}, h('span', {}, hit.text ?? hit.id),
      ' ', h('span', {class: 'muted'}, formatNumber(hit.score, 3)))))];
  }
  default:
    return [];
  }
}

/** The text with each explained word shaded: green raised the output, red lowered it, by size. */
function shadedWords(text, words) {
  const scale = Math.max(1e-12, ...words.map((word) => Math.abs(word.attribution)));
  const chars = Array.from(text); // offsets are Unicode code points
  const parts = [];
  let at = 0;
  for (const word of [...words].sort((a, b) => a.start - b.start)) {
    if (word.start < at) continue;
    parts.push(chars.slice(at, word.start).join(''));
    const span = h('span', {class: 'attribution', title: formatNumber(word.attribution, 4),
      'data-attribution': String(word.attribution)}, chars.slice(word.start, word.end).join(''));
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    const alpha = (Math.min(1, Math.abs(word.attribution) / scale) * 0.85).toFixed(3);
    span.style.backgroundColor = word.attribution >= 0 ? `rgba(22, 163, 74, ${alpha})` : `rgba(220, 38, 38, ${alpha})`;
    span.style.borderRadius = '3px';
    span.style.padding = '0 2px';
    parts.push(span);
    at = word.end;
  }
  parts.push(chars.slice(at).join(''));
  return h('p', {class: 'explanation-text'}, parts);
}

function explanationView(text, body) {
  const explanations = body.explanations ?? [];
  if (explanations.length === 0) return [h('p', {class: 'muted'}, 'The model found nothing to explain in this text.')];
  return explanations.map((explanation) => h('div', {class: 'explanation'},
    h('p', {}, h('strong', {}, explanation.label), ` ${formatNumber(explanation.score, 3)}`,
      explanation.entity ? ` — “${explanation.entity.text}”` : '',
      h('span', {class: 'muted'}, explanation.delta === undefined ? ''
        : ` · integrated gradients, ${explanation.steps} steps, delta ${formatNumber(explanation.delta, 4)}`)),
    shadedWords(text, explanation.attributions.filter((word) => (word.segment ?? 0) === 0))));
}

function timingLine(headers) {
  const timing = [];
  headers.forEach((value, name) => {
    if (['time', 'batch', 'truncat', 'tokens'].some((part) => name.includes(part))) timing.push(`${name}: ${value}`);
  });
  return timing.length ? h('p', {class: 'timing muted', id: 'playground-timing'}, timing.join(' · ')) : null;
}

export default {
  id: 'playground',
  title: 'Playground',
  async render(root, {api}) {
    const listing = await api.get('/v1/models');
    const models = Array.isArray(listing) ? listing : (listing.models ?? []);
    let collections = [];
    try {
      const body = await api.get('/v1/collections');
      collections = Array.isArray(body) ? body : (body.collections ?? []);
    } catch {
      collections = [];
    }

    const taskSelect = h('select', {id: 'playground-task'},
      Object.entries(tasks).map(([id, task]) => h('option', {value: id}, task.title)));
    const modelSelect = h('select', {id: 'playground-model'});
    const collectionSelect = h('select', {id: 'playground-collection'});
    const collectionField = h('div', {}, h('label', {for: 'playground-collection'}, 'Collection'), collectionSelect);
    const input = h('textarea', {id: 'playground-input', rows: 4});
    const run = h('button', {type: 'submit', id: 'playground-run'}, 'Run');
    const explain = h('button', {type: 'button', id: 'playground-explain', title: 'Which words made the model answer so'},
      'Explain');
    const output = h('div', {class: 'result', id: 'playground-result', 'aria-live': 'polite'});

    const refresh = () => {
      const task = tasks[taskSelect.value];
      const usable = models.filter((model) => task.kinds.includes(model.kind));
      modelSelect.replaceChildren(...usable.map((model) => h('option', {value: model.name}, model.name)));
      if (usable.length === 0) modelSelect.append(h('option', {value: ''}, `no ${task.kinds.join('/')} registered`));
      collectionField.hidden = taskSelect.value !== 'search';
      explain.hidden = !['classify', 'entities'].includes(taskSelect.value);
      collectionSelect.replaceChildren(...collections.map((collection) => {
        const name = typeof collection === 'string' ? collection : collection.name;
        return h('option', {value: name}, name);
      }));
      input.value = task.example;
      output.replaceChildren();
    };
    taskSelect.addEventListener('change', refresh);

    const form = h('form', {class: 'card', id: 'playground-form'},
      h('div', {class: 'row'},
        h('div', {}, h('label', {for: 'playground-task'}, 'Task'), taskSelect),
        h('div', {}, h('label', {for: 'playground-model'}, 'Model'), modelSelect),
        collectionField),
      h('label', {for: 'playground-input'}, 'Inputs (one per line)'), input, run, ' ', explain);

    explain.addEventListener('click', async () => {
      const text = input.value.split('\n').map((line) => line.trim()).find(Boolean) ?? '';
      explain.disabled = true;
      output.replaceChildren(h('p', {class: 'muted'}, 'Explaining…'));
      try {
        const response = await api.post('/v1/explain', {model: modelSelect.value, text, method: 'ig', steps: 50});
        output.replaceChildren(
          h('h2', {}, 'Explanation'),
          h('div', {id: 'playground-explanation'}, explanationView(text, response.body)),
          h('pre', {class: 'json', id: 'playground-json'}, JSON.stringify(response.body, null, 2).slice(0, 20000)));
      } catch (error) {
        output.replaceChildren(h('p', {class: 'error', role: 'alert', id: 'playground-error'},
          `${error.status || ''} ${error.code || ''}: ${error.message}${error.field ? ` (field ${error.field})` : ''}`));
      } finally {
        explain.disabled = false;
      }
    });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const task = taskSelect.value;
      const inputs = input.value.split('\n').map((line) => line.trim()).filter(Boolean);
      const body = task === 'search'
        ? {collection: collectionSelect.value, query: inputs[0] ?? '', top_k: 5}
        : {model: modelSelect.value, inputs, ...(task === 'embed' ? {normalize: true} : {}),
          ...(task === 'classify' ? {top_k: 3} : {})};
      run.disabled = true;
      output.replaceChildren(h('p', {class: 'muted'}, 'Running…'));
      try {
        const started = performance.now();
        const response = await api.post(tasks[task].path, body);
        const elapsed = performance.now() - started;
        output.replaceChildren(
          h('h2', {}, 'Result ', h('span', {class: 'muted'}, `(${elapsed.toFixed(0)} ms in the browser)`)),
          ...readable(task, inputs, response.body),
          timingLine(response.headers),
          h('pre', {class: 'json', id: 'playground-json'}, JSON.stringify(response.body, null, 2).slice(0, 20000)));
      } catch (error) {
        output.replaceChildren(h('p', {class: 'error', role: 'alert', id: 'playground-error'},
          `${error.status || ''} ${error.code || ''}: ${error.message}${error.field ? ` (field ${error.field})` : ''}`));
      } finally {
        run.disabled = false;
      }
    });

    refresh();
    root.append(h('h1', {}, 'Playground'), form, output);
  },
};
