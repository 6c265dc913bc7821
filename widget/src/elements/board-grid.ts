// The board as an ARIA grid (WAI-ARIA Authoring Practices, grid pattern): one
// Tab stop for the whole board, a roving tabindex (the last focused card keeps
// tabindex 0, every other card and "+ Add task" button -1). Each column is a row
// of the grid, its cards its cells:
//   Up/Down       the previous/next card of the column (then its "+ Add task")
//   Left/Right    the card of the neighbouring column nearest by vertical position
//   Home/End      the column's first/last card
//   Space/Enter   picks the card up (./board-keys.ts moves it); F2 opens it
// On a phone (one column shown at a time) Left/Right bring the neighbouring
// column into view first.

import type { LiveController } from '../live.js';
import type { TaskView } from '../types.js';

/** What the grid needs of the board. */
export interface GridHost {
  readonly live: LiveController | null;
  readonly writable: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
  cardsOf(status: string): TaskView[];
  focusCard(id: string): Promise<void>;
  openEditor(task: TaskView): void;
  /** Picks a card up for a keyboard move. */
  grabCard(task: TaskView): void;
  /** Shows a column (a phone shows one at a time). */
  showColumn(status: string): void;
}

const NAV = '[data-nav]';
const center = (el: Element): number => {
  const box = el.getBoundingClientRect();
  return box.top + box.height / 2;
};

export class BoardGrid {
  /** The grid's Tab stop: the last focused card's id, or `add:<column>`. */
  private stop: string | null = null;

  constructor(private readonly host: GridHost) {}

  /** After each render: exactly one cell of the grid is in the Tab order. */
  sync(): void {
    const items = [...this.host.renderRoot.querySelectorAll<HTMLElement>(`.columns ${NAV}`)];
    const keep = items.find((el) => el.dataset.nav === this.stop) ?? items.find((el) => el.offsetParent !== null) ?? items[0];
    for (const el of items) el.tabIndex = el === keep ? 0 : -1;
  }

  onFocusIn(e: FocusEvent): void {
    const el = e.composedPath()[0] as HTMLElement;
    if (!el.dataset?.nav) return;
    this.stop = el.dataset.nav;
    if (el.tabIndex !== 0) this.sync();
  }

  /** Keys on a cell (not inside the quick-add form). */
  onKey(e: KeyboardEvent): void {
    const el = e.composedPath()[0] as HTMLElement;
    const nav = el.dataset?.nav;
    // A grabbed card's keys were handled on it (./board-keys.ts).
    if (!nav || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const store = this.host.live!.store;
    const task = store.tasks.get(nav);
    const status = task?.status ?? el.closest<HTMLElement>('.column')?.dataset.status;
    if (!status) return;
    if (task && (e.key === ' ' || e.key === 'Enter')) {
      e.preventDefault();
      if (this.host.writable) this.host.grabCard(task);
      else this.host.openEditor(task);
      return;
    }
    if (task && e.key === 'F2') {
      e.preventDefault();
      return this.host.openEditor(task);
    }
    const list = this.host.cardsOf(status).map((t) => t.id);
    if (this.host.writable) list.push(`add:${status}`);
    const index = list.indexOf(nav);
    let target: string | undefined;
    switch (e.key) {
      case 'ArrowUp':
        target = list[index - 1];
        break;
      case 'ArrowDown':
        target = list[index + 1];
        break;
      case 'Home':
        target = list[0];
        break;
      case 'End':
        target = list.filter((id) => !id.startsWith('add:')).at(-1);
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        e.preventDefault();
        void this.across(el, status, e.key === 'ArrowLeft' ? -1 : 1);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (target) void this.focus(target);
  }

  /** Focuses a cell by its key: a card (rendered first if it is not) or a column's "+ Add task". */
  async focus(key: string): Promise<void> {
    this.stop = key;
    if (!key.startsWith('add:')) return this.host.focusCard(key);
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>(`[data-nav="${CSS.escape(key)}"]`)?.focus();
  }

  /** To the neighbouring column's cell nearest by vertical position (skipping columns with none). */
  private async across(from: HTMLElement, status: string, dir: -1 | 1): Promise<void> {
    const columns = this.host.live!.store.project?.columns ?? [];
    const y = center(from);
    for (let i = columns.findIndex((c) => c.key === status) + dir; i >= 0 && i < columns.length; i += dir) {
      const key = columns[i]!.key;
      const query = () => [...this.host.renderRoot.querySelectorAll<HTMLElement>(`.column[data-status="${key}"] ${NAV}`)];
      let cells = query();
      if (!cells.length) continue;
      if (cells[0]!.offsetParent === null) {
        this.host.showColumn(key);
        await this.host.updateComplete;
        cells = query();
      }
      let best = cells[0]!;
      for (const cell of cells) if (Math.abs(center(cell) - y) < Math.abs(center(best) - y)) best = cell;
      return this.focus(best.dataset.nav!);
    }
  }
}
