// Moving the board's cards with the keyboard (WAI-ARIA drag and drop by
// keyboard): Space or Enter picks the focused card up (./board-grid.ts),
// arrows move it (up/down within a column, left/right across columns), Page
// Up/Down by ten, Home/End to the column's start or end (loaded or not), Space
// or Enter drops it, Escape (or Tab, or focus leaving it) cancels. Every step is
// announced, since the preview alone says nothing to a screen reader. A grab's
// index counts the column's loaded cards; End is Infinity: the server's end.

import type { LiveController } from '../live.js';
import type { TaskView } from '../types.js';

/** A card picked up by keyboard: where it would drop now, and where it came from. */
export interface Grab {
  id: string;
  status: string;
  index: number;
  from: { status: string; index: number };
}

/** What the keys need of the board. */
export interface KeysHost {
  /** Reactive on the board: setting it re-renders the preview. */
  grab: Grab | null;
  readonly live: LiveController | null;
  readonly writable: boolean;
  readonly shadowRoot: ShadowRoot | null;
  /** The cards of a column as shown (filtered, with the grabbed card at its preview place). */
  cardsOf(status: string): TaskView[];
  /** The column's size, loaded or not, and the place of its first loaded card in it. */
  extent(status: string): { size: number; offset: number };
  announce(text: string): void;
  move(taskId: string, status: string, index: number): Promise<void>;
  focusCard(id: string): Promise<void>;
  /** Shows a column (a phone shows one at a time). */
  showColumn(status: string): void;
}

export class BoardKeys {
  constructor(private readonly host: KeysHost) {}

  /** Picks a card up. */
  grab(task: TaskView): void {
    const index = this.host.live!.store.column(task.status).findIndex((t) => t.id === task.id);
    this.host.grab = { id: task.id, status: task.status, index, from: { status: task.status, index } };
    this.host.announce(`Picked up ${task.title}. ${this.placeText(task.status, index)}. Arrow keys move it, Space or Enter drops it, Escape cancels.`);
  }

  /** Keys on the grabbed card. */
  onKey(e: KeyboardEvent, task: TaskView): void {
    const host = this.host;
    const store = host.live!.store;
    const grab = host.grab;
    const columns = store.project?.columns ?? [];
    if (!grab || e.target !== e.currentTarget) return;
    if (grab.id !== task.id) return;
    const colIndex = columns.findIndex((c) => c.key === grab.status);
    const sizeOf = (status: string) => store.column(status).filter((t) => t.id !== grab.id).length;
    const index = Math.min(grab.index, sizeOf(grab.status));
    const by = (step: number) => {
      // Nearing the loaded end: the next page comes while the keys go on.
      if (index + step >= sizeOf(grab.status) - 10) void host.live!.loadMore(grab.status);
      return { ...grab, index: Math.max(0, Math.min(sizeOf(grab.status), index + step)) };
    };
    let next: Grab | null = null;
    switch (e.key) {
      case 'ArrowUp':
      case 'ArrowDown':
      case 'PageUp':
      case 'PageDown':
        next = by((e.key.endsWith('Up') ? -1 : 1) * (e.key.startsWith('Page') ? 10 : 1));
        break;
      case 'Home':
        next = { ...grab, index: 0 };
        break;
      case 'End':
        next = { ...grab, index: Infinity };
        break;
      case 'ArrowLeft':
      case 'ArrowRight': {
        const target = columns[colIndex + (e.key === 'ArrowLeft' ? -1 : 1)];
        if (target) next = { ...grab, status: target.key, index: Math.min(index, sizeOf(target.key)) };
        break;
      }
      case ' ':
      case 'Enter': {
        e.preventDefault();
        host.announce(`Dropped ${task.title} in ${this.placeText(grab.status, grab.index, false)}.`);
        host.grab = null;
        void host.move(task.id, grab.status, grab.index);
        void host.focusCard(task.id);
        return;
      }
      case 'Escape':
        e.preventDefault();
        this.cancelGrab(true);
        return;
      case 'Tab':
        this.cancelGrab(true);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next && (next.index !== grab.index || next.status !== grab.status)) {
      if (next.status !== grab.status) host.showColumn(next.status);
      host.grab = next;
      host.announce(this.placeText(next.status, next.index));
    }
  }

  /** Focus left the grabbed card: a cross-column move re-creates the card (and refocuses it); anything else cancels. */
  onGrabbedBlur(): void {
    setTimeout(() => {
      const active = this.host.shadowRoot?.activeElement as HTMLElement | null;
      if (this.host.grab && active?.dataset.id !== this.host.grab.id) this.cancelGrab(false);
    }, 0);
  }

  private cancelGrab(announce: boolean): void {
    const host = this.host;
    const grab = host.grab;
    if (!grab) return;
    host.grab = null;
    const task = host.live?.store.tasks.get(grab.id);
    if (announce && task) host.announce(`Move cancelled. ${task.title} is back in ${this.placeText(grab.from.status, grab.from.index)}.`);
    if (announce) void host.focusCard(grab.id);
  }

  /** The column and the place among all its cards, loaded or not. */
  private placeText(status: string, index: number, withSize = true): string {
    const host = this.host;
    const name = host.live!.store.project?.columns.find((c) => c.key === status)?.name ?? status;
    const { size, offset } = host.extent(status);
    const place = Math.min(index + offset, size - 1) + 1;
    return `${name}, position ${place}${withSize ? ` of ${size}` : ''}`;
  }
}
