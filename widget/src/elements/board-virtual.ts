// The board's window on a big column: a column of more than VIRTUAL_MIN cards
// renders only the rows near its viewport, on fixed-height rows, with spacers
// standing in for the others; Done (loaded from its end) opens scrolled there.

import { html, type TemplateResult } from 'lit';

/** A virtual row: the card's fixed height (board-styles.ts) and the gap under it. */
export const ROW = 94;
/** Columns up to this many cards render them all, at their natural height. */
export const VIRTUAL_MIN = 60;
/** Rows rendered beyond each edge of a column's viewport. */
const OVERSCAN = 8;

/** What the window needs of the board. */
export interface VirtualHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  requestUpdate(): void;
  /** Whether the column's run was loaded from its end (Done). */
  fromEnd(status: string): object | null;
  /** How many cards a column holds, loaded or not. */
  extent(status: string): { size: number; offset: number };
}

export class VirtualWindow {
  /** Each virtual column's scroll offset and viewport height. */
  private readonly views = new Map<string, { top: number; height: number }>();
  /** Columns loaded from their end that were scrolled there once (a new run is a new object). */
  private readonly pinned = new WeakSet<object>();

  constructor(private readonly host: VirtualHost) {}

  /** The rows a virtual column renders for its scroll offset and height. */
  rows(status: string, size: number): [number, number] {
    const { top, height } = this.views.get(status) ?? { top: 0, height: 600 };
    return [Math.max(0, Math.floor(top / ROW) - OVERSCAN), Math.min(size, Math.ceil((top + height) / ROW) + OVERSCAN)];
  }

  onScroll(ol: HTMLElement): void {
    const status = ol.dataset.status!;
    const size = this.host.extent(status).size;
    const before = this.rows(status, size).join();
    this.views.set(status, { top: ol.scrollTop, height: ol.clientHeight });
    if (this.rows(status, size).join() !== before) this.host.requestUpdate();
  }

  /** After a render, measured a frame later: a re-render it asks for must not chain on in the same task. */
  measure(): void {
    requestAnimationFrame(() => {
      for (const ol of this.host.renderRoot.querySelectorAll<HTMLElement>('.virtual .cards')) {
        const run = this.host.fromEnd(ol.dataset.status!);
        // Done opens at its end, where the newest completions are.
        if (run && !this.pinned.has(run)) {
          this.pinned.add(run);
          ol.scrollTop = ol.scrollHeight;
        }
        this.onScroll(ol);
      }
    });
  }

  /** Scrolls a column so that its `place`-th row (0-based, among all its cards) is rendered. */
  reveal(status: string, place: number): boolean {
    const ol = this.host.renderRoot.querySelector<HTMLElement>(`.cards[data-status="${status}"]`);
    if (!ol) return false;
    ol.scrollTop = place * ROW - ol.clientHeight / 2;
    this.onScroll(ol);
    return true;
  }
}

/** Stands in for `rows` rows not rendered (the list's own 6px gap follows it). */
export const gap = (rows: number): TemplateResult => html`<li aria-hidden="true" style="flex:none;height:${Math.max(0, rows * ROW - 6)}px"></li>`;
