// Keeps a chat log on its newest message, as readers expect: it follows new
// messages (theirs and their own) unless they scrolled up to read, then it
// says "new messages" instead of pulling them down. Older pages are put above
// without moving what the reader looks at, and reaching the top asks for the
// next older page.
//
// The log may be laid out long after it rendered (a widget panel opened later,
// a tab shown): a ResizeObserver on the viewport and on the content scrolls it
// to the end whenever either changes size while following, so it never opens
// at the oldest message.

import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Closer than this to the end counts as reading the newest messages. */
const AT_END_PX = 48;
/** Closer than this to the top asks for older messages. */
const AT_TOP_PX = 80;

export class ChatFollow implements ReactiveController {
  /** The reader is at the newest end (or never scrolled away from it). */
  following = true;
  /** Newer messages arrived while the reader was scrolled up. */
  unseen = false;

  private log: HTMLElement | null = null;
  /** Distance from the end to restore once older messages are rendered above. */
  private fromEnd: number | null = null;
  private room: string | null = null;
  private first: string | undefined;
  private last: string | undefined;
  private readonly resized = new ResizeObserver(() => this.following && this.toEnd());

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly atTop: () => void,
  ) {
    host.addController(this);
  }

  /** Call before each render with what the log will show: notices older pages and newer messages. */
  track(room: string | undefined, first: string | undefined, last: string | undefined): void {
    if (room !== this.room) {
      this.room = room ?? null;
      this.following = true;
      this.unseen = false;
    } else if (this.log) {
      if (first !== this.first && this.first) this.fromEnd = this.log.scrollHeight - this.log.scrollTop;
      if (last !== this.last && this.last && !this.following) this.unseen = true;
    }
    this.first = first;
    this.last = last;
  }

  /** The scrolling element and its one content element, watched from their first render on. */
  watch(log: HTMLElement | null): void {
    if (!log || log === this.log) return;
    this.resized.disconnect();
    this.log = log;
    this.resized.observe(log);
    if (log.firstElementChild) this.resized.observe(log.firstElementChild);
  }

  /** The `scroll` handler of the log. */
  scrolled(): void {
    const log = this.log!;
    this.following = log.scrollHeight - log.scrollTop - log.clientHeight < AT_END_PX;
    if (this.following && this.unseen) {
      this.unseen = false;
      this.host.requestUpdate();
    }
    if (log.scrollTop < AT_TOP_PX) this.atTop();
  }

  /** Back to the newest message (the "new messages" pill, and after sending). */
  jump(): void {
    this.following = true;
    this.unseen = false;
    this.toEnd();
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    if (this.fromEnd !== null && this.log) this.log.scrollTop = this.log.scrollHeight - this.fromEnd;
    else if (this.following) this.toEnd();
    this.fromEnd = null;
  }

  hostDisconnected(): void {
    this.resized.disconnect();
    this.log = null;
  }

  private toEnd(): void {
    if (this.log) this.log.scrollTop = this.log.scrollHeight;
  }
}
