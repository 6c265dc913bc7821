// Registration, apart from the classes: guarded, so two script tags (or two
// versions of the widget) on one page never throw. The first definition wins.

import { TaskwireBoard } from './elements/board.js';
import { TaskwireChat } from './elements/chat.js';
import { TaskwireWidget } from './elements/widget.js';

export function defineOnce(name: string, element: CustomElementConstructor): boolean {
  if (customElements.get(name)) return false;
  customElements.define(name, element);
  return true;
}

defineOnce('taskwire-board', TaskwireBoard);
defineOnce('taskwire-chat', TaskwireChat);
defineOnce('taskwire-widget', TaskwireWidget);

declare global {
  interface HTMLElementTagNameMap {
    'taskwire-board': TaskwireBoard;
    'taskwire-chat': TaskwireChat;
    'taskwire-widget': TaskwireWidget;
  }
}
