// The app shell on a phone (480 px and less): the project list and "New
// project" leave the first screen for a menu button in the header and open
// over the page when asked; the header keeps to one line. Colours are the
// theme's tokens only.

import { css } from '../src/index.js';

export const shellStyles = css`
  .menu-button {
    display: none;
  }
  .not-yours h1 {
    margin: 0 0 6px;
    font-size: 19px;
  }
  @media (max-width: 480px) {
    .shell {
      grid-template-columns: 1fr;
      grid-template-rows: 52px 1fr;
      position: relative;
    }
    .topbar {
      gap: 6px;
      padding: 0 8px;
    }
    .menu-button {
      display: inline-flex;
      gap: 6px;
    }
    .logo,
    .account-name {
      display: none;
    }
    .sidebar {
      display: none;
    }
    .menu-open .sidebar {
      display: flex;
      position: absolute;
      inset: 52px 0 0;
      z-index: 20;
      border-right: 0;
    }
    .content {
      padding: 12px;
    }
  }
`;
