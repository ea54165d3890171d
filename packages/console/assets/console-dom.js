// Shared helpers of the console's page: elements, the API, the confirmation dialog. Every value
// from the API is set as text, never as HTML.
const apiBase = new URL('api/', new URL('.', location.href));
const view = document.getElementById('view');
const status = document.getElementById('status');

/** What the overview said: the operator, the outboxes, whether endpoints and topics are shown. */
export const session = { overview: undefined };

/** An element with attributes (`on…` are listeners) and children (strings become text). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) element.append(child);
  return element;
}

export async function api(path, body) {
  const init = { headers: { accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers = { ...init.headers, 'content-type': 'application/json', 'x-events-console': '1' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(new URL(path, apiBase), init);
  const answer = await response.json();
  if (!response.ok) throw new Error(`${answer.code}: ${answer.message}`);
  return answer;
}

export function say(text, failed = false) {
  status.textContent = text;
  status.classList.toggle('error', failed);
}

export const time = (iso) => (iso ? h('time', { datetime: iso }, new Date(iso).toLocaleString()) : '—');
export const path = (...parts) => parts.map(encodeURIComponent).join('/');

/** Asks in the dialog; resolves to `false`, or `true` (or the reason typed, when asked for one). */
export function confirmAction(text, { askReason = false } = {}) {
  const dialog = document.getElementById('confirm');
  const reason = document.getElementById('confirm-reason');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-reason-row').hidden = !askReason;
  reason.value = '';
  return new Promise((resolve) => {
    const finish = (confirmed) => {
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      resolve(confirmed ? (askReason ? reason.value || 'disabled by an operator' : true) : false);
    };
    const onClose = () => finish(false);
    dialog.addEventListener('close', onClose);
    document.getElementById('confirm-ok').onclick = () => finish(true);
    document.getElementById('confirm-cancel').onclick = () => finish(false);
    dialog.showModal();
    document.getElementById(askReason ? 'confirm-reason' : 'confirm-cancel').focus();
  });
}

export async function act(text, path, body, options) {
  const confirmed = await confirmAction(text, options);
  if (confirmed === false) return say('Nothing done.');
  try {
    const answer = await api(path, typeof confirmed === 'string' ? { ...body, reason: confirmed } : body);
    say(
      answer.count === undefined ? `${answer.action}: ${answer.result}.` : `${answer.action}: ${answer.count} entries.`,
    );
    dispatchEvent(new Event('console:changed'));
  } catch (error) {
    say(error.message, true);
  }
}

export function show(title, ...content) {
  const heading = h('h1', { tabindex: '-1' }, title);
  view.replaceChildren(heading, ...content);
  document.title = `${title} · operator console`;
  heading.focus();
}

export function table(caption, headers, rows) {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((name) => h('th', { scope: 'col' }, name)),
      ),
    ),
    h('tbody', {}, rows.length === 0 ? h('tr', {}, h('td', { colspan: headers.length }, 'Nothing here.')) : rows),
  );
}
