// The chat's chunk (widget-chunks/chat-<hash>.js, see widget/build.ts): defines
// <taskwire-chat> when it arrives. Elements already in the page upgrade then;
// the properties set on them before (the widget's panel sets server, project,
// token…) are taken over by Lit.

import { TaskwireChat } from './chat.js';

if (!customElements.get('taskwire-chat')) customElements.define('taskwire-chat', TaskwireChat);

export { TaskwireChat };
