// The webhook endpoints view (with disable, enable and rotate) and the topics view.
import { act, api, h, path, session, show, table, time } from './console-dom.js';

export async function renderEndpoints(params) {
  const page = await api(`endpoints?${new URLSearchParams(params)}`);
  const deliveries = session.overview.webhooksOutbox;
  const rows = page.endpoints.map((endpoint) => {
    const health = endpoint.health;
    const disabled = endpoint.state === 'disabled' || endpoint.state === 'paused';
    const confirm = { confirm: endpoint.id };
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, endpoint.targetUrl),
      h('td', {}, endpoint.eventType),
      h(
        'td',
        { class: `state-${endpoint.state}` },
        endpoint.state,
        endpoint.disabled ? h('div', { class: 'note' }, endpoint.disabled.reason) : null,
      ),
      h('td', {}, endpoint.successRate === null ? '—' : `${(endpoint.successRate * 100).toFixed(1)} %`),
      h('td', {}, String(health.consecutiveFailures)),
      h('td', {}, time(health.failingSince)),
      h(
        'td',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: disabled ? undefined : 'danger',
            onclick: () =>
              disabled
                ? act(
                    `Enable ${endpoint.targetUrl}? Deliveries start again.`,
                    `endpoints/${path(endpoint.id, 'enable')}`,
                    confirm,
                  )
                : act(
                    `Disable ${endpoint.targetUrl}? Nothing is delivered to it until it is enabled.`,
                    `endpoints/${path(endpoint.id, 'disable')}`,
                    confirm,
                    { askReason: true },
                  ),
          },
          `${disabled ? 'Enable' : 'Disable'} ${endpoint.id}`,
        ),
        h(
          'button',
          {
            type: 'button',
            onclick: () =>
              act(
                `Rotate the signing secret of ${endpoint.targetUrl}? The console never shows the new secret: its owner gets it from you by your own means; the old one keeps signing for a day.`,
                `endpoints/${path(endpoint.id, 'rotate')}`,
                confirm,
              ),
          },
          `Rotate secret of ${endpoint.id}`,
        ),
        deliveries
          ? h(
              'a',
              { href: `#/outbox/${path(deliveries)}/undelivered?topic=${encodeURIComponent(endpoint.id)}` },
              'Undelivered',
            )
          : null,
      ),
    );
  });
  const pager = h(
    'p',
    {},
    page.nextCursor ? h('a', { href: `#/endpoints?cursor=${encodeURIComponent(page.nextCursor)}` }, 'Next page') : null,
  );
  show(
    'Webhook endpoints',
    h(
      'p',
      { class: 'note' },
      'Secrets are never shown here. A rotated secret reaches the receiver’s owner by your own means.',
    ),
    table(
      'Endpoints',
      ['Target', 'Event type', 'State', 'Success rate', 'Failures in a row', 'Failing since', 'Actions'],
      rows,
    ),
    pager,
  );
}

export async function renderTopics() {
  const answer = await api('topics');
  const count = ({ count, more }) => `${count}${more ? '+' : ''}`;
  const rows = answer.topics.map((topic) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, topic.topic),
      h('td', {}, topic.type ?? '—'),
      h('td', {}, topic.endpoint ?? '—'),
      h(
        'td',
        {},
        h(
          'a',
          { href: `#/outbox/${path(answer.outbox)}/pending?topic=${encodeURIComponent(topic.topic)}` },
          count(topic.pending),
        ),
      ),
      h(
        'td',
        {},
        h(
          'a',
          { href: `#/outbox/${path(answer.outbox)}/undelivered?topic=${encodeURIComponent(topic.topic)}` },
          count(topic.undelivered),
        ),
      ),
    ),
  );
  show('Topics', table('Topics', ['Topic', 'Target type', 'Target', 'Pending', 'Undelivered'], rows));
}
