// GET /widget.js: defines <taskwire-board> and <taskwire-widget>, and fetches the
// chunk that defines <taskwire-chat> (./lazy.ts). The app page (/app.js) imports
// what it shares from here, so lit is loaded once.

export { TaskwireBoard } from './elements/board.js';
export { TaskwireWidget } from './elements/widget.js';
export type { TaskwireChat } from './elements/chat.js';
export { loadChat } from './lazy.js';
export { LiveController } from './live.js';
export { ApiError, conflictTask, RestClient } from './rest.js';
// Also what registers the elements (register.ts defines them when loaded).
export { defineOnce } from './register.js';
export { SCRIPT_ORIGIN } from './origin.js';
export { avatar, dateFromInput, dateInputValue, fullTime, initials, linkify, messageTime } from './format.js';
// The widget's chunks (the task editor, the chat: widget/build.ts) take these from here too.
export { emit } from './events.js';
export { canWrite } from './types.js';
export { theme } from './styles.js';
export { counter, MESSAGE, refusal, TITLE } from './limits.js';
export type { Limit } from './limits.js';
export { LiveElement } from './elements/live-element.js';
export { stateLabel } from './elements/status.js';
export { repeat } from 'lit/directives/repeat.js';
export { css, html, LitElement, nothing } from 'lit';
export type { TaskwireEventDetails, TaskwireEventName, ConnectionState } from './events.js';
export type * from './types.js';
