// The board on a phone (the board 480 px wide or less; board-styles.ts): one
// column at a time, with a tab per column (its name and count) above it, and a
// horizontal swipe to the next or previous column.

import { html, type TemplateResult } from 'lit';

/** A swipe: at least this far sideways, and mostly sideways. */
const SWIPE_PX = 50;

export interface PhoneHost {
  /** Reactive on the board: the column shown on a phone. */
  column: string | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
}

export class PhoneColumns {
  private start: { x: number; y: number } | null = null;

  constructor(private readonly host: PhoneHost) {}

  /** The column shown: the chosen one, else the first. */
  current(keys: string[]): string | undefined {
    return keys.includes(this.host.column ?? '') ? this.host.column! : keys[0];
  }

  renderTabs(columns: { key: string; name: string; size: number }[]): TemplateResult {
    const current = this.current(columns.map((c) => c.key));
    return html`<div class="col-tabs" role="tablist" aria-label="Columns" @keydown=${(e: KeyboardEvent) => this.onTabKey(e, columns.map((c) => c.key))}>
      ${columns.map(
        (c) =>
          html`<button class="col-tab" part="column-tab" role="tab" data-tab=${c.key} aria-selected=${String(c.key === current)} aria-controls="col-${c.key}" tabindex=${c.key === current ? 0 : -1} @click=${() => (this.host.column = c.key)}>
            ${c.name} <span class="tab-count">${c.size}</span>
          </button>`,
      )}
    </div>`;
  }

  private onTabKey(e: KeyboardEvent, keys: string[]): void {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    this.step(keys, e.key === 'ArrowLeft' ? -1 : 1);
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('.col-tab[aria-selected=true]')?.focus());
  }

  private step(keys: string[], by: number): void {
    const next = keys[keys.indexOf(this.current(keys)!) + by];
    if (next) this.host.column = next;
  }

  onTouchStart(e: TouchEvent): void {
    const t = e.touches[0];
    this.start = e.touches.length === 1 && t ? { x: t.clientX, y: t.clientY } : null;
  }

  /** A finger lifted: a sideways swipe shows the next or previous column. */
  onTouchEnd(e: TouchEvent, keys: string[]): void {
    const t = e.changedTouches[0];
    const start = this.start;
    this.start = null;
    if (!start || !t) return;
    const dx = t.clientX - start.x;
    if (Math.abs(dx) >= SWIPE_PX && Math.abs(dx) > 2 * Math.abs(t.clientY - start.y)) this.step(keys, dx < 0 ? 1 : -1);
  }
}
