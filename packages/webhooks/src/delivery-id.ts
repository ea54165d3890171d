/**
 * The id of the delivery of one event to one subscription, which is its outbox entry's id:
 * `<length of the subscription id>:<subscription id>:<event id>`, e.g. `5:sub-1:0193…`. The length
 * prefix makes it unambiguous whatever the ids contain (`a:b` + `c` and `a` + `b:c` differ), and
 * it is the same every time the pair is delivered, so delivering an event twice stores it once.
 */
export function webhookDeliveryId(subscriptionId: string, eventId: string): string {
  return `${subscriptionId.length}:${subscriptionId}:${eventId}`;
}

/** The subscription and event ids of a {@link webhookDeliveryId}, or `undefined` for another id. */
export function parseWebhookDeliveryId(id: string): { subscriptionId: string; eventId: string } | undefined {
  const match = /^(\d{1,4}):/.exec(id);
  if (match === null) return undefined;
  const length = Number(match[1]);
  const start = match[0].length;
  if (id.length < start + length + 1 || id[start + length] !== ':') return undefined;
  return { subscriptionId: id.slice(start, start + length), eventId: id.slice(start + length + 1) };
}
