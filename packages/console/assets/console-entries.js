// The outbox views: the overview, the lists of pending and undelivered entries, one entry.
import { act, api, h, path, session, show, table, time } from './console-dom.js';

export async function renderOverview() {
  const rows = session.overview.outboxes.map((outbox) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, outbox.name),
      h('td', {}, outbox.store),
      h(
        'td',
        {},
        Object.entries(outbox.figures).map(([key, value]) => h('div', {}, `${key}: ${value ?? '—'}`)),
      ),
      h('td', {}, h('a', { href: `#/outbox/${path(outbox.name)}/pending` }, `Pending of ${outbox.name}`)),
      h('td', {}, h('a', { href: `#/outbox/${path(outbox.name)}/undelivered` }, `Undelivered of ${outbox.name}`)),
    ),
  );
  show('Overview', table('Outboxes', ['Outbox', 'Store', 'Figures', 'Pending', 'Undelivered'], rows));
}

export async function renderList(outbox, kind, params) {
  const query = new URLSearchParams(params);
  const page = await api(`outboxes/${path(outbox, kind)}?${query}`);
  const undelivered = kind === 'undelivered';
  const selected = new Set();
  const buttons = [];
  const refresh = () => {
    for (const button of buttons) {
      button.disabled = selected.size === 0;
      button.textContent = `${button.dataset.label} selected (${selected.size})`;
    }
  };
  const selector = (entry) =>
    h('input', {
      type: 'checkbox',
      'aria-label': `Select ${entry.id}`,
      onchange: (event) => (event.target.checked ? selected.add(entry.id) : selected.delete(entry.id), refresh()),
    });
  const rows = page.entries.map((entry) =>
    h(
      'tr',
      {},
      undelivered ? h('td', {}, selector(entry)) : null,
      h('td', {}, entry.eventName),
      h('td', {}, h('a', { href: `#/outbox/${path(outbox)}/entry/${path(entry.id)}` }, entry.id)),
      h('td', {}, entry.endpoint ? entry.endpoint.targetUrl : (entry.topic ?? '—')),
      h('td', {}, String(entry.attempts)),
      h('td', { class: 'error-text' }, entry.lastError ?? ''),
      h('td', {}, time(undelivered ? entry.failedAt : entry.nextAttemptAt)),
    ),
  );
  const toolbar = h('div', { class: 'toolbar' });
  if (undelivered) {
    for (const [label, action] of [
      ['Redeliver', 'redeliver'],
      ['Purge', 'purge'],
    ]) {
      const button = h('button', {
        type: 'button',
        class: action === 'purge' ? 'danger' : undefined,
        'data-label': label,
        onclick: () => {
          const ids = [...selected];
          const what = action === 'purge' ? 'delete for good' : 'deliver again';
          void act(
            `${label}: ${what} ${ids.length} selected entries of ${outbox}?`,
            `outboxes/${path(outbox, action)}`,
            {
              ids,
              confirm: ids.length,
            },
          );
        },
      });
      buttons.push(button);
      toolbar.append(button);
    }
    refresh();
  }
  const pager = h('p', { class: 'toolbar' });
  if (query.has('cursor')) pager.append(h('a', { href: `#/outbox/${path(outbox, kind)}` }, 'First page'));
  if (page.nextCursor) {
    const next = new URLSearchParams(query);
    next.set('cursor', page.nextCursor);
    pager.append(h('a', { href: `#/outbox/${path(outbox, kind)}?${next}` }, 'Next page'));
  }
  const headers = [
    'Event',
    'Entry id',
    'Topic or endpoint',
    'Attempts',
    'Last error',
    undelivered ? 'Failed at' : 'Next attempt',
  ];
  const title = `${undelivered ? 'Undelivered' : 'Pending'} · ${outbox}`;
  show(
    title,
    toolbar,
    table(`${page.entries.length} entries on this page`, undelivered ? ['Select', ...headers] : headers, rows),
    pager,
  );
}

export async function renderEntry(outbox, id) {
  const entry = await api(`outboxes/${path(outbox, 'entries', id)}`);
  const facts = [
    ['State', entry.state],
    ['Event', `${entry.eventName} (${entry.eventId})`],
    ['Topic', entry.topic ?? '—'],
    ['Endpoint', entry.endpoint?.targetUrl ?? '—'],
    ['Attempts', String(entry.attempts)],
    ['Enqueued', time(entry.enqueuedAt)],
    ['Next attempt', time(entry.nextAttemptAt)],
    ['Failed at', time(entry.failedAt)],
    ['Delivered at', time(entry.deliveredAt)],
  ];
  const attempts = entry.history.map((attempt) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, String(attempt.attempt)),
      h('td', {}, time(attempt.at)),
      h('td', {}, attempt.outcome),
      h('td', {}, attempt.status === undefined ? '—' : String(attempt.status)),
      h('td', {}, `${attempt.durationMs} ms`),
      h(
        'td',
        { class: 'error-text' },
        attempt.error ? `${attempt.error.code ?? attempt.error.name ?? ''} ${attempt.error.message}` : '',
      ),
      h('td', {}, attempt.responseExcerpt ? h('pre', {}, attempt.responseExcerpt) : ''),
    ),
  );
  const actions = h('div', { class: 'toolbar' });
  if (entry.state === 'undelivered') {
    const body = { ids: [entry.id], confirm: 1 };
    actions.append(
      h(
        'button',
        {
          type: 'button',
          onclick: () => act(`Redeliver entry ${entry.id}?`, `outboxes/${path(outbox, 'redeliver')}`, body),
        },
        'Redeliver',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: () => act(`Purge entry ${entry.id} for good?`, `outboxes/${path(outbox, 'purge')}`, body),
        },
        'Purge',
      ),
    );
  }
  show(
    `Entry ${entry.id}`,
    h(
      'p',
      {},
      h(
        'a',
        { href: `#/outbox/${path(outbox)}/${entry.state === 'pending' ? 'pending' : 'undelivered'}` },
        `Back to ${outbox}`,
      ),
    ),
    actions,
    h(
      'dl',
      {},
      facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
    ),
    table('Attempts', ['#', 'At', 'Outcome', 'Status', 'Duration', 'Error', 'Response excerpt'], attempts),
    h('h2', {}, 'Event'),
    h('pre', {}, JSON.stringify(entry.event, null, 2)),
  );
}
