// Screens few people open (the Integrations tab, #/admin) or that carry a large
// library (the Insights tab and Chart.js) are chunks of their own that the page
// fetches the first time one is shown, so /app.js stays small for everyone else.
// A chunk that cannot be fetched is most likely one an update of the server
// replaced (its name is content-hashed) while this page was open: only a reload
// brings the new names, and the browser would not fetch a failed module again
// anyway.

import { html } from '../src/index.js';

const loading = new Map<string, Promise<void>>();
const failed = new Set<string>();

/**
 * `ready()` once the element `tag` is defined. Until then: a loading line, after starting `load` (once per
 * page; it defines the element), then `host` renders again; if the chunk cannot be fetched, an alert.
 */
export function onDemand(tag: string, load: () => Promise<void>, host: { requestUpdate(): void }, ready: () => unknown): unknown {
  if (customElements.get(tag)) return ready();
  if (failed.has(tag)) {
    return html`<p class="error" role="alert">
      This part of Taskwire could not be loaded: the server may have been updated since this page opened.
      <button class="btn" @click=${() => location.reload()}>Reload the page</button>
    </p>`;
  }
  if (!loading.has(tag)) {
    loading.set(
      tag,
      load()
        .catch(() => void failed.add(tag))
        .finally(() => host.requestUpdate()),
    );
  }
  return html`<div class="loading">Loading…</div>`;
}
