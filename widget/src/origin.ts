// Where this script was loaded from: the default `server` of every element.

export const SCRIPT_ORIGIN: string = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return location.origin;
  }
})();
