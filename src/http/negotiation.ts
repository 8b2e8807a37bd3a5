/**
 * Proactive negotiation (RFC 9110 §12): the weighted lists of Accept and Accept-Encoding read one way, and the
 * choice between a route's JSON and CSV. A response nothing in the request accepts goes in its default form
 * (JSON, no content coding) rather than as a 406: docs/architecture.md, "Compression and conditional requests".
 */

/** Each item of a weighted list (`a;q=0.5, b`) by its lower-case name, with its weight: 1 unless `q` says otherwise, 0 for a `q` unreadable. */
export function weights(header: string): Map<string, number> {
  const weighed = new Map<string, number>();
  for (const item of header.toLowerCase().split(',')) {
    const [name, ...params] = item.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (name) weighed.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  return weighed;
}

/**
 * Whether a route that answers JSON or CSV sends CSV: `format` says so, or, without a format, Accept names
 * text/csv (q > 0) and weighs JSON no higher. A wildcard range never chooses CSV: JSON is the default.
 */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  if (!accept) return false;
  const weighed = weights(accept);
  const csv = weighed.get('text/csv') ?? 0;
  const json = weighed.get('application/json') ?? weighed.get('application/*') ?? weighed.get('*/*') ?? 0;
  return csv > 0 && csv >= json;
}
