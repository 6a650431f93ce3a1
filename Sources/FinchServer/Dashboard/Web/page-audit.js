// Audit page: the hash-chained trail of admin actions (GET /v1/audit, a page at a time) and
// whether the chain holds (GET /v1/audit/verify). Needs an admin key.
import {h} from './dom.js';
import {APIError} from './api.js';

const pageSize = 100;

function shortHash(hash) { return typeof hash === 'string' ? `${hash.slice(0, 12)}…` : ''; }

function detailsText(details) {
  const entries = Object.entries(details ?? {});
  return entries.length === 0 ? '–' : entries.map(([key, value]) => `${key}=${value}`).join(', ');
}

function entryRow(entry, brokenSequence) {
  const broken = entry.sequence === brokenSequence;
  return h('tr', {class: broken ? 'audit-entry error' : 'audit-entry', 'data-sequence': entry.sequence,
    'data-action': entry.action, 'data-broken': broken ? 'true' : null},
    h('td', {class: 'num'}, entry.sequence),
    h('td', {class: 'nowrap muted'}, entry.time ? new Date(entry.time).toLocaleString() : ''),
    h('td', {class: 'mono'}, entry.actor),
    h('td', {}, h('span', {class: 'badge'}, entry.action)),
    h('td', {class: 'mono'}, entry.subject),
    h('td', {}, detailsText(entry.details)),
    h('td', {class: 'mono muted', title: entry.hash}, shortHash(entry.hash)));
}

function statusCard(result) {
  if (result.intact) {
    return h('section', {class: 'card', id: 'audit-status', 'data-intact': 'true'},
      h('h2', {class: 'good'}, 'Chain intact'),
      h('p', {}, `${result.verified_entries} entries verified; each entry's hash covers its contents and the entry before.`),
      h('p', {class: 'mono muted'}, `head ${result.head_hash}`));
  }
  const problem = result.problem ?? {};
  return h('section', {class: 'card', id: 'audit-status', 'data-intact': 'false'},
    h('h2', {class: 'error'}, 'Chain broken'),
    h('p', {class: 'error', role: 'alert'}, problem.message ?? 'The chain does not verify.'),
    h('p', {class: 'muted'}, `${result.verified_entries} entries verified before position ${problem.position ?? '?'}.`));
}

export default {
  id: 'audit',
  title: 'Audit',
  async render(root, {api}) {
    root.append(h('h1', {}, 'Audit trail'));
    let verification;
    try {
      verification = await api.get('/v1/audit/verify');
    } catch (error) {
      if (error instanceof APIError && error.status === 403) {
        root.append(h('p', {class: 'card muted', id: 'audit-forbidden'}, 'The audit trail needs an admin key.'));
        return;
      }
      throw error;
    }
    root.append(statusCard(verification));
    const body = h('tbody', {id: 'audit-entries'});
    const more = h('button', {id: 'audit-more', hidden: true}, 'Load more');
    const table = h('section', {class: 'card'},
      h('table', {},
        h('thead', {}, h('tr', {},
          h('th', {class: 'num'}, '#'), h('th', {}, 'time'), h('th', {}, 'actor'), h('th', {}, 'action'),
          h('th', {}, 'subject'), h('th', {}, 'details'), h('th', {}, 'hash'))),
        body),
      more);
    root.append(table);
    let after = 0;
    async function load() {
      more.disabled = true;
      const page = await api.get(`/v1/audit?after=${after}&limit=${pageSize}`);
      const entries = page.entries ?? [];
      body.append(...entries.map((entry) => entryRow(entry, verification.problem?.sequence)));
      if (body.children.length === 0) {
        body.append(h('tr', {id: 'audit-empty'}, h('td', {colspan: 7, class: 'muted'}, 'No admin action has been recorded yet.')));
      }
      after = page.next_after ?? after;
      more.hidden = page.next_after === null || page.next_after === undefined;
      more.disabled = false;
    }
    more.addEventListener('click', () => { load().catch((error) => {
      table.append(h('p', {class: 'error', role: 'alert'}, `Could not load more: ${error.message}`));
    }); });
    await load();
  },
};
