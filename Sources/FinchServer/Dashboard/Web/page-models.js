// Models page: every registered model with its kind and versions (GET /v1/models).
import {h} from './dom.js';

function labelsText(labels) {
  if (!Array.isArray(labels) || labels.length === 0) return '–';
  return labels.length > 6 ? `${labels.slice(0, 6).join(', ')} … (${labels.length})` : labels.join(', ');
}

function versionRows(model) {
  const versions = Array.isArray(model.versions) && model.versions.length > 0 ? model.versions : [model];
  return versions.map((version) => {
    const active = version.active === true || version.version === model.active_version;
    return h('tr', {class: 'version'},
      h('td', {class: 'nowrap'},
        h('span', {class: active ? 'badge active' : 'badge'}, `v${version.version ?? '?'}`), active ? ' active' : ''),
      h('td', {class: 'num'}, version.dimension ?? model.dimension ?? '–'),
      h('td', {class: 'num'}, version.max_length ?? model.max_length ?? '–'),
      h('td', {}, labelsText(version.labels ?? model.labels)),
      h('td', {class: 'mono'}, version.path ?? ''),
      h('td', {class: 'muted'}, version.created_at ? new Date(version.created_at).toLocaleString() : ''));
  });
}

export default {
  id: 'models',
  title: 'Models',
  async render(root, {api}) {
    root.append(h('h1', {}, 'Models'));
    const body = await api.get('/v1/models');
    const models = Array.isArray(body) ? body : (body.models ?? []);
    if (models.length === 0) {
      root.append(h('p', {class: 'card muted', id: 'models-empty'},
        'No model is registered yet. Start the service with --model NAME=DIR or POST /v1/models.'));
      return;
    }
    for (const model of models) {
      root.append(h('section', {class: 'card model', 'data-model': model.name},
        h('h2', {}, model.name, ' ', h('span', {class: 'badge'}, model.kind ?? 'model')),
        h('table', {},
          h('thead', {}, h('tr', {},
            h('th', {}, 'version'), h('th', {class: 'num'}, 'dimension'), h('th', {class: 'num'}, 'max length'),
            h('th', {}, 'labels'), h('th', {}, 'folder'), h('th', {}, 'registered'))),
          h('tbody', {}, versionRows(model)))));
    }
  },
};
