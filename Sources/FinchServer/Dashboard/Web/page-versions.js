// Model versions page: each model's versions; a version made by a retrain shows the old and the
// new version's evaluation side by side and the guard's decision (GET /v1/models/{name}/reports).
// Admin keys can start a retrain and follow its job.
import {h} from './dom.js';

function percent(value) {
  return typeof value === 'number' ? `${(value * 100).toFixed(1)} %` : '–';
}

function reportCard(report) {
  const names = {f1: 'entity F1', hit_at_1: 'retrieval hit@1'};
  const metric = names[report.metric] ?? report.metric ?? 'accuracy';
  // An embedder's retrain learns from accepted assistant answers and replays the collections' alternatives.
  const embedder = report.metric === 'hit_at_1';
  const mrr = [];
  if (report.new?.heldout_mrr_at_10 !== undefined || report.previous?.heldout_mrr_at_10 !== undefined) {
    mrr.push(['held-out MRR@10', report.previous?.heldout_mrr_at_10, report.new?.heldout_mrr_at_10]);
  }
  if (report.new?.feedback_mrr_at_10 !== undefined || report.previous?.feedback_mrr_at_10 !== undefined) {
    mrr.push(['feedback MRR@10', report.previous?.feedback_mrr_at_10, report.new?.feedback_mrr_at_10]);
  }
  const row = (label, before, after) => h('tr', {},
    h('th', {}, label), h('td', {class: 'num old'}, before), h('td', {class: 'num new'}, after));
  return h('section', {class: 'card report', 'data-version': report.new_version},
    h('h3', {}, `v${report.new_version ?? '?'} from v${report.previous_version}: `,
      h('span', {class: report.activated ? 'badge active' : 'badge'}, report.activated ? 'activated' : 'not activated')),
    h('p', {class: 'reason'}, report.reason),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {class: 'num'}, `v${report.previous_version} (old)`),
        h('th', {class: 'num'}, `v${report.new_version ?? 'new'} (new)`))),
      h('tbody', {},
        row(`held-out ${metric}`, percent(report.previous?.heldout), percent(report.new?.heldout)),
        row(`feedback ${metric}`, percent(report.previous?.feedback), percent(report.new?.feedback)),
        ...mrr.map(([label, before, after]) => row(label, percent(before), percent(after))))),
    h('p', {class: 'muted'},
      `${report.feedback_examples} ${embedder ? 'accepted answers' : 'corrections'} (${report.feedback_trained} trained on, `
      + `${report.feedback_held_out} held out; compared on ${report.feedback_evaluation}), `
      + `${report.replay_examples} replayed ${embedder ? 'alternative phrasings' : 'examples'}, `
      + `${report.held_out_examples} held-out ${embedder ? 'alternative phrasings' : 'examples'}, margin ${percent(report.margin)}, `
      + `${report.training_seconds.toFixed(1)} s.`));
}

function jobLine(job) {
  const done = job.state !== 'running';
  const stage = job.stage ? `${job.stage} ${job.step}/${job.step_count}` : 'starting';
  const text = done ? `${job.state}: ${job.outcome?.reason ?? job.error ?? ''}` : `${stage} (${Math.round(job.progress * 100)} %)`;
  return h('p', {class: `job ${job.state}`, 'data-job': job.id}, h('progress', {max: 1, value: done ? 1 : job.progress}), ' ', text);
}

export default {
  id: 'versions',
  title: 'Versions',
  async render(root, {api}) {
    root.append(h('h1', {}, 'Model versions'));
    const timers = [];
    const models = (await api.get('/v1/models')).models ?? [];
    const jobs = (await api.get('/v1/jobs')).jobs ?? [];
    if (models.length === 0) {
      root.append(h('p', {class: 'card muted'}, 'No model is registered yet.'));
      return;
    }
    for (const model of models) {
      const section = h('section', {class: 'card versions', 'data-model': model.name},
        h('h2', {}, model.name, ' ', h('span', {class: 'badge'}, model.kind ?? 'model')));
      const list = h('ul', {});
      const reportsArea = h('div', {class: 'reports'});
      // The model's versions and retrain reports, fetched again when a job ends.
      async function refresh(current) {
        list.replaceChildren(...(current.versions ?? []).map((version) => h('li', {},
          h('span', {class: version.active ? 'badge active' : 'badge'}, `v${version.version}`),
          version.active ? ' active ' : ' ', h('span', {class: 'mono muted'}, version.path))));
        const {reports} = await api.get(`/v1/models/${encodeURIComponent(current.name)}/reports`);
        reportsArea.replaceChildren(...(reports ?? []).map(reportCard));
      }
      section.append(list);
      const jobArea = h('div', {class: 'jobs'});
      for (const job of jobs.filter((j) => j.model === model.name).slice(0, 3)) jobArea.append(jobLine(job));
      if (model.kind === 'classifier' || model.kind === 'tagger' || model.kind === 'embedder') {
        const button = h('button', {class: 'retrain', type: 'button'}, 'Retrain from feedback');
        button.addEventListener('click', async () => {
          button.disabled = true;
          try {
            const {body: job} = await api.post(`/v1/models/${encodeURIComponent(model.name)}/retrain`);
            jobArea.prepend(jobLine(job));
            const timer = setInterval(async () => {
              const now = await api.get(`/v1/jobs/${job.id}`);
              jobArea.querySelector(`[data-job="${job.id}"]`)?.replaceWith(jobLine(now));
              if (now.state !== 'running') {
                clearInterval(timer);
                button.disabled = false;
                const fresh = ((await api.get('/v1/models')).models ?? []).find((m) => m.name === model.name);
                if (fresh) await refresh(fresh);
              }
            }, 1000);
            timers.push(timer);
          } catch (error) {
            jobArea.prepend(h('p', {class: 'error'}, error.message));
            button.disabled = false;
          }
        });
        section.append(button);
      }
      section.append(jobArea);
      section.append(reportsArea);
      await refresh(model);
      root.append(section);
    }
    return () => timers.forEach(clearInterval);
  },
};
