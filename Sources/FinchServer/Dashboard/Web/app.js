// The dashboard shell: sign-in, nav, hash routing (#/models, #/metrics, …) and the health line.
import {FinchAPI, APIError} from './api.js';
import {h} from './dom.js';
import {pages} from './pages.js';

const api = new FinchAPI();
const elements = {
  nav: document.getElementById('nav'),
  signIn: document.getElementById('sign-in'),
  signInForm: document.getElementById('sign-in-form'),
  signInError: document.getElementById('sign-in-error'),
  keyInput: document.getElementById('api-key'),
  page: document.getElementById('page'),
  sessionKey: document.getElementById('session-key'),
  signOut: document.getElementById('sign-out'),
  health: document.getElementById('health'),
};
let leavePage = null;
let rendering = 0;

function currentPage() {
  const id = location.hash.replace(/^#\/?/, '').split('/')[0];
  return pages.find((page) => page.id === id) || pages[0];
}

function renderNav(active) {
  elements.nav.replaceChildren(...pages.map((page) => h('a', {
    href: `#/${page.id}`, id: `nav-${page.id}`, 'aria-current': page === active ? 'page' : null,
  }, page.title)));
}

async function show() {
  const token = ++rendering;
  if (leavePage) { leavePage(); leavePage = null; }
  const signedIn = api.signedIn;
  elements.signIn.hidden = signedIn;
  elements.page.hidden = !signedIn;
  elements.signOut.hidden = !signedIn;
  elements.sessionKey.textContent = signedIn ? `key …${api.key.slice(-4)}` : '';
  if (!signedIn) {
    elements.nav.replaceChildren();
    elements.keyInput.focus();
    return;
  }
  const page = currentPage();
  renderNav(page);
  document.title = `${page.title} · Finch`;
  const root = h('div', {class: `page page-${page.id}`});
  elements.page.replaceChildren(root);
  try {
    const leave = await page.render(root, {api, navigate});
    if (token === rendering) leavePage = typeof leave === 'function' ? leave : null;
    else if (typeof leave === 'function') leave();
  } catch (error) {
    if (error instanceof APIError && error.status === 401) { signOut('Your key was refused; sign in again.'); return; }
    root.append(h('p', {class: 'error', role: 'alert'}, `Could not load this page: ${error.message}`));
  }
}

function navigate(id) { location.hash = `#/${id}`; }

function signOut(message) {
  api.key = null;
  elements.signInError.hidden = !message;
  elements.signInError.textContent = message || '';
  show();
}

elements.signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = elements.keyInput.value.trim();
  const button = elements.signInForm.querySelector('button');
  button.disabled = true;
  api.key = key;
  try {
    await api.get('/v1/models');
    elements.keyInput.value = '';
    elements.signInError.hidden = true;
    show();
  } catch (error) {
    api.key = null;
    elements.signInError.hidden = false;
    elements.signInError.textContent = error.status === 401
      ? 'This key is not valid.' : `Sign-in failed: ${error.message}`;
  } finally {
    button.disabled = false;
  }
});
elements.signOut.addEventListener('click', () => signOut());
window.addEventListener('hashchange', show);

async function checkHealth() {
  try {
    const response = await fetch('/readyz');
    elements.health.textContent = response.ok ? 'ready' : `not ready (${response.status})`;
    elements.health.className = response.ok ? 'good' : 'error';
  } catch {
    elements.health.textContent = 'unreachable';
    elements.health.className = 'error';
  }
}

checkHealth();
setInterval(checkHealth, 10000);
show();
