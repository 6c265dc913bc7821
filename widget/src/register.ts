// Registration, apart from the classes: guarded, so two script tags (or two
// versions of the widget) on one page never throw. The first definition wins.
// <taskwire-chat> is defined by its own chunk (./lazy.ts), once it arrives.

import { TaskwireBoard } from './elements/board.js';
import type { TaskwireChat } from './elements/chat.js';
import { TaskwireWidget } from './elements/widget.js';
import { scheduleChat } from './lazy.js';

export function defineOnce(name: string, element: CustomElementConstructor): boolean {
  if (customElements.get(name)) return false;
  customElements.define(name, element);
  return true;
}

defineOnce('taskwire-board', TaskwireBoard);
defineOnce('taskwire-widget', TaskwireWidget);
scheduleChat();

declare global {
  interface HTMLElementTagNameMap {
    'taskwire-board': TaskwireBoard;
    'taskwire-chat': TaskwireChat;
    'taskwire-widget': TaskwireWidget;
  }
}
