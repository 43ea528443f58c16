/** Sets the window title for a view; "Error: " goes first while the view shows errors (ui-guide §5). */
export function setTitle(view: string, hasErrors = false): void {
  document.title = `${hasErrors ? "Error: " : ""}${view} – KetaChart`;
}
