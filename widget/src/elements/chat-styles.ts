import { css } from 'lit';

export const chatStyles = css`
  :host {
    display: block;
    height: 100%;
    min-height: 320px;
    container-type: inline-size;
  }
  .chat {
    position: relative;
    display: grid;
    grid-template-columns: minmax(150px, 200px) 1fr;
    height: 100%;
    background: var(--_surface);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  .sidebar {
    background: var(--_bg);
    border-right: 1px solid var(--_border);
    padding: 12px 8px;
    overflow-y: auto;
  }
  .sidebar h3 {
    font-size: 11px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--_muted);
    margin: 8px 8px 6px;
  }
  .rooms,
  .people {
    list-style: none;
    margin: 0 0 12px;
    padding: 0;
  }
  .room {
    display: block;
    width: 100%;
    text-align: left;
    border: 0;
    background: none;
    padding: 5px 8px;
    border-radius: calc(var(--_radius) * 0.6);
    color: var(--_fg);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .room:hover {
    background: var(--_hover);
  }
  .room.current {
    background: var(--_selected);
    color: var(--_selected-fg);
    font-weight: 600;
  }
  .person {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 3px 8px;
    font-size: 13px;
  }
  .person-name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .dot {
    width: 9px;
    height: 9px;
    border-radius: 50%;
    flex: none;
    background: transparent;
    border: 2px solid var(--_muted);
  }
  .dot.small {
    width: 7px;
    height: 7px;
    border-width: 1.5px;
  }
  .dot[data-state='active'] {
    background: var(--_success);
    border-color: var(--_success);
  }
  .dot[data-state='idle'] {
    background: var(--_warning);
    border-color: var(--_warning);
  }
  .dot[data-state='inactive'] {
    background: color-mix(in srgb, var(--_warning) 35%, transparent);
    border-color: var(--_warning);
  }
  .dot[data-state='unknown'] {
    border-style: dotted;
  }
  .main {
    position: relative;
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
  }
  .toolbar {
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 10px 14px;
    border-bottom: 1px solid var(--_border);
  }
  .room-title {
    display: flex;
    align-items: baseline;
    gap: 10px;
    min-width: 0;
    flex: 1;
  }
  .topic {
    color: var(--_muted);
    font-size: 13px;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .problem {
    margin: 8px 14px 0;
    padding: 8px 12px;
    border-radius: calc(var(--_radius) * 0.7);
    background: color-mix(in srgb, var(--_danger) 10%, var(--_surface));
    color: var(--_danger);
  }
  .messages {
    flex: 1;
    overflow-y: auto;
    padding: 8px 0;
    min-height: 0;
  }
  .jump {
    position: absolute;
    left: 50%;
    bottom: 72px;
    transform: translateX(-50%);
    border-radius: 999px;
    box-shadow: var(--_shadow);
  }
  .own-reply {
    margin: 6px 14px;
    padding: 6px 10px;
    border-left: 3px solid var(--_accent);
    background: var(--_bg);
    font-size: 13px;
  }
  .own-reply b {
    display: block;
    color: var(--_muted);
    font-size: 11px;
  }
  .refused {
    border-color: var(--_danger);
  }
  .send-error {
    flex-basis: 100%;
    margin: 0;
    color: var(--_danger);
    font-size: 13px;
  }
  .counter {
    align-self: center;
    color: var(--_muted);
    font-size: 11px;
  }
  .counter.over {
    color: var(--_danger);
    font-weight: 600;
  }
  /* The shared toast sits at the bottom: in the chat it goes under the toolbar, clear of the composer. */
  .chat .notice {
    top: 52px;
    bottom: auto;
  }
  .start {
    color: var(--_muted);
    font-size: 12px;
    text-align: center;
    margin: 4px 0 10px;
  }
  .message-list {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .message {
    position: relative;
    display: grid;
    grid-template-columns: 40px 1fr;
    gap: 0 8px;
    padding: 4px 14px 4px 10px;
  }
  .message:not(.grouped) {
    margin-top: 6px;
  }
  .message:hover,
  .message:focus-within {
    background: color-mix(in srgb, var(--_fg) 4%, transparent);
  }
  .gutter {
    display: flex;
    justify-content: center;
    padding-top: 2px;
  }
  .gutter .avatar {
    width: 30px;
    height: 30px;
    font-size: 11px;
  }
  .hover-time {
    font-size: 10px;
    color: var(--_muted);
    visibility: hidden;
    padding-top: 3px;
  }
  .message:hover .hover-time {
    visibility: visible;
  }
  .byline {
    display: flex;
    align-items: center;
    gap: 6px;
    font-size: 13px;
  }
  .author {
    font-weight: 650;
  }
  .byline time {
    color: var(--_muted);
    font-size: 11px;
  }
  .badge {
    font-size: 10px;
    font-weight: 600;
    padding: 0 6px;
    border-radius: 4px;
    line-height: 16px;
    color: var(--_bg);
    background: var(--_muted);
  }
  .badge.source-slack {
    color: var(--_on-color);
    background: var(--_slack);
  }
  .badge.source-discord {
    color: var(--_on-color);
    background: var(--_discord);
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .text a {
    color: var(--_accent);
  }
  .edited {
    color: var(--_muted);
    font-size: 11px;
  }
  .tombstone {
    color: var(--_muted);
    font-style: italic;
  }
  .actions {
    position: absolute;
    top: -6px;
    right: 12px;
    opacity: 0;
  }
  .message:hover .actions,
  .message:focus-within .actions,
  .actions.open {
    opacity: 1;
  }
  .menu-button {
    border: 1px solid var(--_border);
    background: var(--_surface);
    border-radius: 6px;
    padding: 0 8px;
    line-height: 22px;
    box-shadow: var(--_shadow);
  }
  .menu {
    position: absolute;
    right: 0;
    top: 26px;
    z-index: 3;
    display: flex;
    flex-direction: column;
    min-width: 120px;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 8px;
    box-shadow: 0 8px 24px rgb(var(--_shade) / 16%);
    padding: 4px;
  }
  .menu button {
    border: 0;
    background: none;
    text-align: left;
    padding: 6px 10px;
    border-radius: 6px;
  }
  .menu button:hover,
  .menu button:focus-visible {
    background: color-mix(in srgb, var(--_accent) 10%, transparent);
  }
  .menu .delete {
    color: var(--_danger);
  }
  .confirm {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-top: 4px;
    font-size: 13px;
  }
  .edit-form {
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin-top: 2px;
  }
  .row {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .hint {
    color: var(--_muted);
    font-size: 11px;
  }
  .composer {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    padding: 10px 14px 12px;
    border-top: 1px solid var(--_border);
    align-items: flex-end;
  }
  .composer textarea {
    flex: 1;
  }
  .composer textarea,
  .edit-form textarea {
    resize: none;
    field-sizing: content;
    min-height: 36px;
    max-height: 160px;
  }
  .read-only {
    margin: 0;
    padding: 12px 14px;
    color: var(--_muted);
    border-top: 1px solid var(--_border);
    font-size: 13px;
  }
  @container (max-width: 520px) {
    .chat {
      grid-template-columns: 1fr;
    }
    .sidebar {
      display: none;
    }
  }
`;
