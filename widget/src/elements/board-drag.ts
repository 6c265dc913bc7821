// Dragging cards: HTML5 drag and drop with a mouse, and a long press then a
// drag with a finger (touch events: a short move before the press is long
// enough is a scroll or a swipe, not a drag). A column takes a drop anywhere in
// its area, down to the bottom of the board; on a phone, holding a dragged card
// over a column's tab shows that column, and dropping on a tab puts the card at
// the column's end.

import type { LiveController } from '../live.js';
import type { TaskView } from '../types.js';

const TASK_MIME = 'application/x-taskwire-task';
/** How long a finger rests on a card before it is picked up. */
const LONG_PRESS_MS = 450;
/** A finger moving further than this before then is scrolling or swiping. */
const SLOP_PX = 10;

/** `index` among the shown cards (for the indicator), `fullIndex` among all of the column's (for the move). */
export interface DropAt {
  status: string;
  index: number;
  fullIndex: number;
}

/** What the drag needs of the board. */
export interface DragHost {
  readonly live: LiveController | null;
  readonly writable: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly shadowRoot: ShadowRoot | null;
  /** Reactive on the board: the dragged card and where it would land. */
  dragId: string | null;
  dropAt: DropAt | null;
  move(taskId: string, status: string, index: number): Promise<void>;
  showColumn(status: string): void;
  announce(text: string): void;
}

export class BoardDrag {
  private press: { task: TaskView; x: number; y: number; timer: ReturnType<typeof setTimeout> } | null = null;
  /** The card a finger is dragging. */
  private touching: TaskView | null = null;
  private tabTimer: ReturnType<typeof setTimeout> | undefined;
  private overTab: string | null = null;

  constructor(private readonly host: DragHost) {}

  // ---- mouse: HTML5 drag and drop

  onDragStart(e: DragEvent, task: TaskView): void {
    if (!this.host.writable || !e.dataTransfer || this.touching) return void e.preventDefault();
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData(TASK_MIME, task.id);
    e.dataTransfer.setData('text/plain', task.title);
    // Let the browser take its drag image before the card fades.
    requestAnimationFrame(() => (this.host.dragId = task.id));
  }

  onDragEnd(): void {
    this.host.dragId = null;
    this.host.dropAt = null;
  }

  onDragOver(e: DragEvent, status: string): void {
    if (!this.host.writable || !e.dataTransfer?.types.includes(TASK_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    this.point(e.currentTarget as HTMLElement, status, e.clientY);
  }

  onDragLeave(e: DragEvent): void {
    const column = e.currentTarget as HTMLElement;
    if (e.relatedTarget instanceof Node && column.contains(e.relatedTarget)) return;
    if (this.host.dropAt?.status === column.dataset.status) this.host.dropAt = null;
  }

  onDrop(e: DragEvent, status: string): void {
    const id = e.dataTransfer?.getData(TASK_MIME);
    if (!id || !this.host.writable) return;
    e.preventDefault();
    this.drop(id, status);
  }

  /** Where a card held at height `y` over `column` would land. */
  private point(column: HTMLElement, status: string, y: number): void {
    const host = this.host;
    const cards = [...column.querySelectorAll<HTMLElement>('.card[data-id]')].filter((c) => c.dataset.id !== host.dragId);
    let index = cards.findIndex((card) => {
      const box = card.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
    if (index < 0) index = cards.length;
    // Filtered views hide cards: translate the visible index to the column's own.
    const visibleIds = cards.map((c) => c.dataset.id!);
    const full = host.live!.store.column(status).filter((t) => t.id !== host.dragId);
    const anchor = visibleIds[index];
    const fullIndex = anchor ? full.findIndex((t) => t.id === anchor) : visibleIds.length ? full.findIndex((t) => t.id === visibleIds.at(-1)) + 1 : full.length;
    if (host.dropAt?.status !== status || host.dropAt.index !== index) host.dropAt = { status, index, fullIndex };
  }

  private drop(id: string, status: string, index = this.host.dropAt?.status === status ? this.host.dropAt.fullIndex : Number.MAX_SAFE_INTEGER): void {
    this.host.dragId = null;
    this.host.dropAt = null;
    void this.host.move(id, status, index);
  }

  // ---- touch: a long press, then a drag

  onTouchStart(e: TouchEvent, task: TaskView): void {
    this.cancelPress();
    const touch = e.touches[0];
    if (!this.host.writable || e.touches.length !== 1 || !touch) return;
    const timer = setTimeout(() => {
      this.press = null;
      this.touching = task;
      this.host.dragId = task.id;
      navigator.vibrate?.(15);
      this.host.announce(`Picked up ${task.title}. Drag it to its place, or onto a column's tab.`);
    }, LONG_PRESS_MS);
    this.press = { task, x: touch.clientX, y: touch.clientY, timer };
  }

  onTouchMove(e: TouchEvent): void {
    const touch = e.touches[0];
    if (!touch) return;
    if (this.press && Math.hypot(touch.clientX - this.press.x, touch.clientY - this.press.y) > SLOP_PX) this.cancelPress();
    if (!this.touching) return;
    // The page must not scroll under a dragged card.
    if (e.cancelable) e.preventDefault();
    const under = this.host.shadowRoot?.elementFromPoint(touch.clientX, touch.clientY);
    const tab = under?.closest<HTMLElement>('[data-tab]')?.dataset.tab ?? null;
    if (tab !== this.overTab) {
      this.overTab = tab;
      clearTimeout(this.tabTimer);
      if (tab) this.tabTimer = setTimeout(() => this.host.showColumn(tab), 350);
    }
    const column = under?.closest<HTMLElement>('.column');
    if (column) this.point(column, column.dataset.status!, touch.clientY);
    else if (!tab) this.host.dropAt = null;
  }

  onTouchEnd(e: TouchEvent): void {
    this.cancelPress();
    const task = this.touching;
    if (!task) return;
    this.touching = null;
    clearTimeout(this.tabTimer);
    // No click (which would open the editor) after a drag.
    if (e.cancelable) e.preventDefault();
    const tab = this.overTab;
    this.overTab = null;
    const at = this.host.dropAt;
    if (e.type !== 'touchcancel' && tab) {
      // Onto a tab: the column's end, and the column comes into view.
      this.host.showColumn(tab);
      this.drop(task.id, tab, Infinity);
    }
    else if (e.type !== 'touchcancel' && at) this.drop(task.id, at.status);
    else this.host.dragId = this.host.dropAt = null;
  }

  /** Whether a finger drags a card (its gesture is then no swipe). */
  get dragging(): boolean {
    return !!this.touching;
  }

  private cancelPress(): void {
    if (this.press) clearTimeout(this.press.timer);
    this.press = null;
  }
}
