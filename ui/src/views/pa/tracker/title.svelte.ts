// "Error: " goes first in the window title while a form or dialog shows errors (ui-guide §5),
// and comes off again when the errors are fixed or the form closes.

/** Call during component setup; `hasErrors` is read reactively. */
export function errorTitle(hasErrors: () => boolean): void {
  $effect(() => {
    if (!hasErrors()) return;
    const base = document.title.replace(/^Error: /, "");
    document.title = `Error: ${base}`;
    return () => {
      document.title = document.title.replace(/^Error: /, "");
    };
  });
}
