import { css } from 'lit';

export const boardStyles = css`
  :host {
    display: block;
    height: 100%;
    min-height: 320px;
  }
  .board {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100%;
    /* The phone layout follows the board's own width (in a narrow panel too), not the window's. */
    container: board / inline-size;
    background: var(--_bg);
    border-radius: var(--_radius);
  }
  .toolbar {
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 12px 14px 6px;
  }
  .title {
    font-size: 16px;
    margin: 0;
    font-weight: 650;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .filter {
    max-width: 220px;
    margin-left: auto;
    padding: 5px 8px;
  }
  .columns {
    display: grid;
    grid-auto-flow: column;
    grid-auto-columns: minmax(230px, 1fr);
    /* The board's height bounds each column, so a long one scrolls (and virtualizes) inside it. */
    grid-template-rows: minmax(0, 1fr);
    min-height: 0;
    gap: 12px;
    padding: 8px 14px 14px;
    overflow-x: auto;
    flex: 1;
    /* Every column runs to the bottom of the board: a drop anywhere in it counts, an empty one included. */
    align-items: stretch;
  }
  .column {
    background: color-mix(in srgb, var(--_fg) 4%, var(--_bg));
    border: 1px solid transparent;
    border-radius: var(--_radius);
    padding: 8px;
    display: flex;
    flex-direction: column;
    gap: 6px;
    min-height: 120px;
    box-sizing: border-box;
    transition: border-color 0.15s, background 0.15s;
  }
  .column.drop-target {
    border-color: color-mix(in srgb, var(--_accent) 50%, transparent);
    background: color-mix(in srgb, var(--_accent) 6%, var(--_bg));
  }
  .column-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 2px 4px 4px;
  }
  .column-header h3 {
    margin: 0;
    font-size: 13px;
    font-weight: 650;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--_muted);
  }
  .count {
    font-size: 12px;
    color: var(--_muted);
    background: var(--_surface);
    border-radius: 999px;
    padding: 0 8px;
    border: 1px solid var(--_border);
  }
  .cards {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 6px;
    overflow-y: auto;
    min-height: 8px;
  }
  .card,
  .pending {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.8);
    padding: 8px 10px;
    box-shadow: var(--_shadow);
    cursor: grab;
    display: flex;
    flex-direction: column;
    gap: 6px;
    user-select: none;
  }
  .card:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .card:hover {
    border-color: color-mix(in srgb, var(--_accent) 35%, var(--_border));
  }
  .card.dragging {
    display: none;
  }
  .card.grabbed {
    border-color: var(--_accent);
    box-shadow: 0 8px 20px rgb(var(--_shade) / 18%), var(--_focus);
    transform: rotate(-1deg);
  }
  .card.flash {
    animation: flash 1.6s ease-out;
  }
  @keyframes flash {
    0%,
    30% {
      background: color-mix(in srgb, var(--_accent) 16%, var(--_surface));
      border-color: var(--_accent);
    }
    100% {
      background: var(--_surface);
    }
  }
  .virtual .cards {
    overflow-anchor: none;
  }
  .virtual .card {
    height: 88px;
    flex: none;
    box-sizing: border-box;
    overflow: hidden;
  }
  .virtual .card-title {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .virtual .labels {
    flex-wrap: nowrap;
    overflow: hidden;
  }
  .ghost {
    box-shadow: none;
    background: none;
  }
  .card-title {
    font-weight: 550;
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }
  .labels {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  .label {
    font-size: 11px;
    padding: 1px 7px;
    border-radius: 999px;
    background: color-mix(in srgb, var(--_accent) 12%, var(--_surface));
    color: color-mix(in srgb, var(--_accent) 80%, var(--_fg));
    overflow-wrap: anywhere;
  }
  .card-meta {
    display: flex;
    align-items: center;
    gap: 8px;
    font-size: 12px;
    color: var(--_muted);
  }
  .spacer {
    flex: 1;
  }
  .due.overdue {
    color: var(--_danger);
    font-weight: 600;
  }
  .drop-indicator {
    height: 4px;
    border-radius: 2px;
    background: var(--_accent);
    margin: 2px 0;
  }
  .problem {
    margin: 0 14px 8px;
    padding: 8px 12px;
    border-radius: calc(var(--_radius) * 0.7);
    background: color-mix(in srgb, var(--_danger) 10%, var(--_surface));
    color: var(--_danger);
  }
  .column-empty {
    margin: 4px;
    color: var(--_muted);
    font-size: 12px;
    text-align: center;
  }
  .add {
    border: 1px dashed transparent;
    background: none;
    text-align: left;
    padding: 6px 8px;
    border-radius: calc(var(--_radius) * 0.7);
    color: var(--_muted);
  }
  .add:hover {
    background: var(--_surface);
    border-color: var(--_border);
    color: var(--_fg);
  }
  .quick-add {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .counter {
    font-size: 11px;
    color: var(--_muted);
    white-space: nowrap;
  }
  .counter.over,
  .refusal,
  .failed-note {
    color: var(--_danger);
    font-weight: 600;
  }
  .refusal {
    margin: 0;
    font-size: 13px;
  }
  .pending {
    cursor: default;
    opacity: 0.75;
  }
  .pending.failed {
    opacity: 1;
    border: 1px dashed var(--_danger);
  }
  .pending .btn {
    padding: 2px 8px;
  }
  .col-tabs {
    display: none;
    gap: 4px;
    padding: 2px 8px 4px;
    overflow-x: auto;
  }
  .col-tab {
    border: 0;
    background: none;
    padding: 6px 10px;
    border-radius: 999px;
    color: var(--_muted);
    font-weight: 600;
    white-space: nowrap;
  }
  .col-tab[aria-selected='true'] {
    background: var(--_selected);
    color: var(--_selected-fg);
  }
  .tab-count {
    font-weight: 400;
  }
  .row {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .backdrop {
    position: fixed;
    inset: 0;
    background: rgb(var(--_shade) / 35%);
    display: grid;
    place-items: center;
    z-index: 10;
    padding: 16px;
  }
  .editor {
    background: var(--_surface);
    border-radius: var(--_radius);
    box-shadow: 0 20px 50px rgb(var(--_shade) / 30%);
    width: min(560px, 100%);
    max-height: 100%;
    overflow: auto;
    padding: 18px 20px;
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  .editor h3 {
    margin: 0;
    font-size: 16px;
  }
  .editor label {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 12px;
    font-weight: 600;
    color: var(--_muted);
  }
  .editor label > :is(input, select, textarea) {
    font-weight: 400;
    font-size: var(--taskwire-font-size, 14px);
    color: var(--_fg);
  }
  .editor .grid {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 10px;
  }
  .editor .meta {
    margin: 0;
    font-size: 12px;
    color: var(--_muted);
  }
  .editor .error {
    margin: 0;
    color: var(--_danger);
  }
  .editor .plugin {
    border-top: 1px solid var(--_border);
    padding-top: 10px;
  }
  .editor .plugin h4 {
    margin: 0 0 6px;
    font-size: 13px;
  }
  /* Last: over the rules above. */
  @container board (max-width: 480px) {
    .col-tabs {
      display: flex;
    }
    .toolbar {
      flex-wrap: wrap;
    }
    .columns {
      grid-auto-flow: row;
      grid-template-columns: minmax(0, 1fr);
      padding: 4px 8px 8px;
      /* Sideways swipes are the board's (the next column), not the browser's (history back). */
      touch-action: pan-y;
    }
    .column:not(.shown) {
      display: none;
    }
    .card {
      -webkit-touch-callout: none;
    }
    .backdrop {
      padding: 0;
    }
    .editor {
      width: 100%;
      height: 100%;
      max-height: none;
      border-radius: 0;
    }
  }
`;
