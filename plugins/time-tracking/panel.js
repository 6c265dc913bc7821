// The time-tracking panel in the widget's task editor: the estimate, time
// logged per person, your timer, and a field to log time. Plain DOM in its own
// shadow root (no framework: the widget's bundle is not importable from here);
// every text goes in through textContent, never as markup. The widget sets
// `task`, `projectId`, `userId`, `readOnly`, `nameOf` and `request`.

const FIELD = 'time-tracking';

function format(minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}

const pad = (n) => String(n).padStart(2, '0');

function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

const STYLE = `
  :host { display: block; font: inherit; color: inherit; }
  .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 6px 0; }
  .total { font-weight: 600; }
  .over { color: var(--tw-danger, #b42318); }
  ul { margin: 4px 0; padding-left: 18px; }
  input { font: inherit; padding: 4px 6px; width: 7em; border: 1px solid var(--tw-border, #c9ccd1); border-radius: 6px; background: inherit; color: inherit; }
  button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--tw-border, #c9ccd1); background: var(--tw-surface, transparent); color: inherit; cursor: pointer; }
  button.primary { background: var(--tw-accent, #2563eb); border-color: transparent; color: #fff; }
  button:disabled { opacity: .6; cursor: default; }
  .error { color: var(--tw-danger, #b42318); }
  .running { font-variant-numeric: tabular-nums; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;

class TimeTrackingPanel extends HTMLElement {
  #task = null;
  #busy = false;
  #error = '';
  #tick = null;

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.readOnly = true;
    this.userId = null;
    this.nameOf = (id) => id;
    this.request = () => Promise.reject(new Error('not connected'));
  }

  set task(task) {
    this.#task = task;
    this.render();
  }

  get task() {
    return this.#task;
  }

  connectedCallback() {
    this.render();
  }

  disconnectedCallback() {
    clearInterval(this.#tick);
    this.#tick = null;
  }

  get tracking() {
    const value = this.#task?.fields?.[FIELD];
    return value ?? { estimateMinutes: null, entries: [], timers: {} };
  }

  async call(method, path, body) {
    this.#busy = true;
    this.#error = '';
    this.render();
    try {
      // The change comes back live as a new `task`; the answer needs no handling of its own.
      await this.request(method, `/tasks/${encodeURIComponent(this.#task.id)}${path}`, body);
      return true;
    } catch (error) {
      this.#error = error?.message || 'That did not work; try again.';
      return false;
    } finally {
      this.#busy = false;
      this.render();
    }
  }

  clear(name) {
    const input = this.shadowRoot?.querySelector(`input[name="${name}"]`);
    if (input) input.value = '';
  }

  el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? '' : String(value));
    }
    node.append(...children.filter(Boolean));
    return node;
  }

  render() {
    const root = this.shadowRoot;
    if (!root || !this.#task) return;
    const focused = root.activeElement?.getAttribute('name');
    // A live change re-renders the panel; what the person was typing stays.
    const typed = Object.fromEntries([...root.querySelectorAll('input')].map((input) => [input.name, input.value]));
    const tracking = this.tracking;
    const totals = new Map();
    for (const entry of tracking.entries) totals.set(entry.userId, (totals.get(entry.userId) ?? 0) + entry.minutes);
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    const estimate = tracking.estimateMinutes;
    const started = this.userId ? tracking.timers?.[this.userId] : undefined;

    const parts = [this.el('style', { text: STYLE })];
    parts.push(
      this.el(
        'div',
        { class: 'row' },
        this.el('span', { class: `total${estimate && all > estimate ? ' over' : ''}`, 'data-total': all, text: `${format(all)} logged` }),
        this.el('span', { 'data-estimate': estimate ?? '', text: estimate ? `of ${format(estimate)} estimated` : 'no estimate' }),
      ),
    );
    if (totals.size > 0) {
      parts.push(
        this.el(
          'ul',
          { 'aria-label': 'Time per person' },
          ...[...totals]
            .sort((a, b) => b[1] - a[1])
            .map(([userId, minutes]) => this.el('li', { 'data-user': userId, text: `${this.nameOf(userId)}: ${format(minutes)}` })),
        ),
      );
    }
    if (!this.readOnly && this.userId) {
      const running = started ? this.el('span', { class: 'running', role: 'timer', 'aria-label': 'Your timer', text: clock(Date.now() - Date.parse(started)) }) : null;
      parts.push(
        this.el(
          'div',
          { class: 'row' },
          this.el('button', {
            type: 'button',
            name: 'timer',
            class: started ? '' : 'primary',
            disabled: this.#busy,
            text: started ? 'Stop timer' : 'Start timer',
            onclick: () => this.call('POST', '/timer', { action: started ? 'stop' : 'start' }),
          }),
          running,
        ),
      );
      const log = this.el('input', { name: 'duration', placeholder: '1h30m', 'aria-label': 'Time to log, like 1h30m or 45m', autocomplete: 'off' });
      const logIt = async () => {
        const duration = log.value.trim();
        if (!duration) return;
        if (await this.call('POST', '/entries', { duration })) this.clear('duration');
      };
      log.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          // Enter would submit the task editor's form around this panel.
          e.preventDefault();
          void logIt();
        }
      });
      const est = this.el('input', { name: 'estimate', placeholder: estimate ? format(estimate) : '3h', 'aria-label': 'Estimate, like 3h; empty clears it', autocomplete: 'off' });
      const setEstimate = async () => {
        const text = est.value.trim();
        const minutes = text === '' ? null : toMinutes(text);
        if (text !== '' && minutes === null) {
          this.#error = 'Give the estimate like 3h, 90m or 1h30m.';
          this.render();
          return;
        }
        if (await this.call('PUT', '/estimate', { minutes })) this.clear('estimate');
      };
      est.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          void setEstimate();
        }
      });
      parts.push(
        this.el('div', { class: 'row' }, log, this.el('button', { type: 'button', name: 'log', disabled: this.#busy, text: 'Log time', onclick: logIt })),
        this.el('div', { class: 'row' }, est, this.el('button', { type: 'button', name: 'set-estimate', disabled: this.#busy, text: 'Set estimate', onclick: setEstimate })),
      );
    }
    parts.push(this.el('p', { class: 'error', role: 'alert', text: this.#error }));
    root.replaceChildren(...parts);
    for (const input of root.querySelectorAll('input')) if (typed[input.name]) input.value = typed[input.name];
    if (focused) root.querySelector(`[name="${focused}"]`)?.focus();

    clearInterval(this.#tick);
    this.#tick = null;
    if (started && this.isConnected) {
      this.#tick = setInterval(() => {
        const node = this.shadowRoot?.querySelector('.running');
        if (node) node.textContent = clock(Date.now() - Date.parse(started));
      }, 1000);
    }
  }
}

function toMinutes(text) {
  if (/^\d+$/.test(text)) return Number(text);
  const match = /^(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+)m)?$/i.exec(text);
  if (!match || (!match[1] && !match[2])) return null;
  const minutes = Math.round(Number(match[1] ?? 0) * 60) + Number(match[2] ?? 0);
  return minutes >= 1 ? minutes : null;
}

if (!customElements.get('taskwire-time-tracking')) customElements.define('taskwire-time-tracking', TimeTrackingPanel);
