import { css, theme } from '../src/index.js';

export const appStyles = css`
  :host {
    display: block;
    height: 100vh;
    background: var(--_bg);
  }
  a {
    color: inherit;
    text-decoration: none;
  }
  .spacer {
    flex: 1;
  }
  .row {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  .loading {
    padding: 40px;
    color: var(--_muted);
    text-align: center;
  }
  .shell {
    display: grid;
    grid-template-columns: 250px 1fr;
    grid-template-rows: 52px 1fr;
    height: 100vh;
  }
  .topbar {
    grid-column: 1 / -1;
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 0 18px;
    background: var(--_surface);
    border-bottom: 1px solid var(--_border);
  }
  .logo {
    display: flex;
    align-items: center;
    gap: 8px;
    font-weight: 750;
    font-size: 16px;
  }
  .nav-link[aria-current='page'] {
    background: var(--_selected);
    color: var(--_selected-fg);
  }
  .who {
    display: flex;
    align-items: center;
    gap: 8px;
    font-size: 13px;
  }
  .account {
    position: relative;
  }
  .account summary {
    list-style: none;
    cursor: pointer;
    padding: 4px 8px;
    border-radius: 8px;
  }
  .account summary::-webkit-details-marker {
    display: none;
  }
  .account summary:hover,
  .account[open] summary {
    background: var(--_bg);
  }
  .account-menu {
    position: absolute;
    right: 0;
    top: 44px;
    z-index: 9;
    width: 260px;
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 4px;
    box-shadow: 0 18px 48px rgb(var(--_shade) / 20%);
  }
  .account-menu .hint {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .account-menu .btn {
    padding-left: 0;
  }
  .pill {
    display: inline-block;
    padding: 0 8px;
    border-radius: 999px;
    background: var(--_bg);
    color: var(--_muted);
    font-size: 11px;
    font-weight: 600;
    white-space: nowrap;
  }
  .pill.good {
    background: color-mix(in srgb, var(--_success) 12%, var(--_surface));
    color: var(--_success);
  }
  .pill.warn {
    background: color-mix(in srgb, var(--_warning) 12%, var(--_surface));
    color: var(--_warning);
  }
  .pill.bad {
    background: color-mix(in srgb, var(--_danger) 10%, var(--_surface));
    color: var(--_danger);
  }
  .pill.accent {
    background: color-mix(in srgb, var(--_accent) 14%, transparent);
    color: var(--_accent);
  }
  .sidebar {
    background: var(--_surface);
    border-right: 1px solid var(--_border);
    padding: 16px 12px;
    overflow-y: auto;
    display: flex;
    flex-direction: column;
  }
  .sidebar h2 {
    font-size: 11px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--_muted);
    margin: 0 8px 8px;
  }
  .projects {
    list-style: none;
    margin: 0 0 16px;
    padding: 0;
  }
  .project {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 7px 10px;
    border-radius: 8px;
  }
  .project:hover {
    background: var(--_bg);
  }
  .project.current {
    background: var(--_selected);
    color: var(--_selected-fg);
    font-weight: 600;
  }
  .project-name {
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .role {
    font-size: 11px;
    color: var(--_muted);
    font-weight: 500;
  }
  .new-project {
    margin-top: auto;
    border-top: 1px solid var(--_border);
    padding: 14px 4px 0;
  }
  .new-project label {
    display: block;
    font-size: 12px;
    font-weight: 600;
    color: var(--_muted);
    margin-bottom: 6px;
  }
  .content {
    overflow: auto;
    padding: 20px 24px;
    display: flex;
    flex-direction: column;
    gap: 16px;
    min-width: 0;
  }
  .project-header {
    display: flex;
    align-items: flex-end;
    justify-content: space-between;
    gap: 16px;
    flex-wrap: wrap;
  }
  .project-header h1,
  .welcome h1 {
    margin: 0;
    font-size: 22px;
  }
  .description {
    margin: 4px 0 0;
    color: var(--_muted);
  }
  .tabs {
    display: flex;
    gap: 4px;
    background: var(--_surface);
    border: 1px solid var(--_border);
    padding: 3px;
    border-radius: 999px;
  }
  .tab {
    padding: 6px 14px;
    border-radius: 999px;
    color: var(--_muted);
    font-weight: 600;
  }
  .tab[aria-current='page'] {
    background: var(--_accent);
    color: var(--_accent-fg);
  }
  .view {
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
    gap: 16px;
  }
  .view-board taskwire-board,
  .view-chat taskwire-chat {
    flex: 1;
    min-height: 480px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
    background: var(--_surface);
  }
  /* The page header already names the project. */
  .view taskwire-board::part(title) {
    display: none;
  }
  .panel {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 16px 18px;
  }
  .panel h2 {
    margin: 0 0 12px;
    font-size: 15px;
  }
  .count {
    color: var(--_muted);
    font-weight: 500;
  }
  .members,
  .list {
    width: 100%;
    border-collapse: collapse;
  }
  .list {
    font-size: 13px;
  }
  .members th,
  .list th {
    text-align: left;
    font-size: 12px;
    color: var(--_muted);
    font-weight: 600;
    padding: 6px 8px;
    border-bottom: 1px solid var(--_border);
  }
  .members td,
  .list td {
    padding: 8px;
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
  }
  .members tr:last-child td,
  .list tr:last-child td {
    border-bottom: 0;
  }
  .list .when {
    white-space: nowrap;
    color: var(--_muted);
  }
  .members .name,
  .list .name {
    display: flex;
    align-items: center;
    gap: 8px;
    font-weight: 550;
  }
  .members .email,
  .list .email {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .invites .actions {
    white-space: nowrap;
  }
  .members select {
    width: auto;
  }
  .members .actions,
  .invites .actions {
    text-align: right;
  }
  .you {
    font-size: 11px;
    background: var(--_bg);
    border-radius: 999px;
    padding: 0 6px;
    color: var(--_muted);
    font-weight: 500;
  }
  .danger {
    color: var(--_danger);
  }
  .invite .row input {
    flex: 1;
  }
  .invite .row select {
    width: auto;
  }
  .hint {
    color: var(--_muted);
    font-size: 13px;
    margin: 0 0 10px;
  }
  .legend {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 6px 16px;
    margin: 0;
    font-size: 13px;
  }
  .legend dt {
    font-weight: 650;
  }
  .legend dd {
    margin: 0;
    color: var(--_muted);
  }
  .flash,
  .error {
    padding: 10px 14px;
    border-radius: 8px;
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .flash {
    background: color-mix(in srgb, var(--_success) 12%, var(--_surface));
  }
  .error {
    background: color-mix(in srgb, var(--_danger) 10%, var(--_surface));
    color: var(--_danger);
  }
  .auth {
    min-height: 100vh;
    display: grid;
    place-items: center;
    padding: 20px;
    background: radial-gradient(circle at 20% 10%, color-mix(in srgb, var(--_accent) 18%, transparent), transparent 50%), var(--_bg);
  }
  .auth-card {
    width: min(380px, 100%);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 16px;
    padding: 28px;
    box-shadow: 0 20px 50px rgb(var(--_shade) / 12%);
    display: flex;
    flex-direction: column;
    gap: 14px;
  }
  .brand {
    display: flex;
    align-items: center;
    gap: 10px;
    font-size: 22px;
    font-weight: 750;
  }
  .tagline {
    margin: -6px 0 4px;
    color: var(--_muted);
  }
  .switch {
    display: grid;
    grid-template-columns: 1fr 1fr;
    background: var(--_bg);
    border-radius: 999px;
    padding: 3px;
  }
  .switch button {
    border: 0;
    background: none;
    border-radius: 999px;
    padding: 6px;
    color: var(--_muted);
    font-weight: 600;
  }
  .switch button[aria-selected='true'] {
    background: var(--_surface);
    color: var(--_fg);
    box-shadow: var(--_shadow);
  }
  .auth-card label {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 12px;
    font-weight: 600;
    color: var(--_muted);
  }
  .auth-card label > input {
    font-weight: 400;
    font-size: 14px;
    color: var(--_fg);
    padding: 8px 10px;
  }
  .auth-card .error,
  .auth-card .flash {
    margin: 0;
  }
  .auth-card h2 {
    margin: 0;
    font-size: 17px;
  }
  .auth-card .ghost {
    align-self: center;
    color: var(--_accent);
    font-size: 13px;
  }
  .wide {
    width: 100%;
    padding: 9px;
  }
  @media (max-width: 760px) {
    .shell {
      grid-template-columns: 1fr;
      grid-template-rows: 52px auto 1fr;
    }
    .sidebar {
      border-right: 0;
      border-bottom: 1px solid var(--_border);
    }
  }
`;

/** What every screen of the app page starts from: the widget's theme, the page's styles, a height that follows content. */
export const screenStyles = [
  theme,
  appStyles,
  css`
    :host {
      height: auto;
    }
  `,
];
