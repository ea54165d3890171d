// The operator console's page: plain DOM, no framework, no build step. Routes live in the hash,
// so the server serves one page.
import { api, h, path, say, session, show } from './console-dom.js';
import { renderEndpoints, renderTopics } from './console-endpoints.js';
import { renderEntry, renderList, renderOverview } from './console-entries.js';

async function render() {
  const [route, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = route.split('/').filter(Boolean).map(decodeURIComponent);
  const params = Object.fromEntries(new URLSearchParams(search));
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#/${parts[0] ?? ''}`);
    if (link.hasAttribute('aria-current')) link.setAttribute('aria-current', 'page');
  }
  try {
    if (parts[0] === 'outbox' && parts[2] === 'entry') await renderEntry(parts[1], parts[3]);
    else if (parts[0] === 'outbox')
      await renderList(parts[1], parts[2] === 'pending' ? 'pending' : 'undelivered', params);
    else if (parts[0] === 'endpoints') await renderEndpoints(params);
    else if (parts[0] === 'topics') await renderTopics();
    else await renderOverview();
  } catch (error) {
    show('Something went wrong', h('p', { class: 'error-text' }, error.message));
  }
}

async function start() {
  try {
    session.overview = await api('overview');
  } catch (error) {
    return show('The console is not available', h('p', { class: 'error-text' }, error.message));
  }
  document.getElementById('operator').textContent = `Signed in as ${session.overview.operator.name}`;
  const nav = document.getElementById('nav');
  if (session.overview.webhooks) nav.append(h('li', {}, h('a', { href: '#/endpoints' }, 'Endpoints')));
  if (session.overview.topics) nav.append(h('li', {}, h('a', { href: '#/topics' }, 'Topics')));
  for (const { name } of session.overview.outboxes)
    nav.append(h('li', {}, h('a', { href: `#/outbox/${path(name)}/undelivered` }, `Undelivered · ${name}`)));
  addEventListener('hashchange', () => {
    say('');
    void render();
  });
  addEventListener('console:changed', () => void render());
  await render();
}

void start();
