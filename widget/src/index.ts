// GET /widget.js: defines <taskwire-board>, <taskwire-chat> and <taskwire-widget>.
// The app page (/app.js) imports what it shares from here, so lit is loaded once.

export { TaskwireBoard } from './elements/board.js';
export { TaskwireChat } from './elements/chat.js';
export { TaskwireWidget } from './elements/widget.js';
export { LiveController } from './live.js';
export { ApiError, conflictTask, RestClient } from './rest.js';
// Also what registers the elements (register.ts defines them when loaded).
export { defineOnce } from './register.js';
export { SCRIPT_ORIGIN } from './origin.js';
export { avatar, dateFromInput, dateInputValue, fullTime, initials } from './format.js';
// The task editor, a file of its own (widget/build.ts), takes these from here too.
export { emit } from './events.js';
export { canWrite } from './types.js';
export { theme } from './styles.js';
export { css, html, LitElement, nothing } from 'lit';
export type { TaskwireEventDetails, TaskwireEventName, ConnectionState } from './events.js';
export type * from './types.js';
