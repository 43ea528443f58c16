// Focus helpers. A view's <h1> takes focus when it opens (ui-guide §1); links in the error
// summary focus their control.

/** Attachment for a view's <h1 tabindex="-1">: focuses it as soon as it is on screen. */
export function focusOnMount(el: HTMLElement): void {
  el.focus();
}

/** Focuses the element with this id and brings its label into view. */
export function focusById(id: string): boolean {
  const el = document.getElementById(id);
  if (!el) return false;
  const label =
    el.closest("fieldset")?.querySelector("legend") ?? document.querySelector(`label[for="${id}"]`);
  (label ?? el).scrollIntoView?.({ block: "start" });
  el.focus({ preventScroll: true });
  return true;
}
