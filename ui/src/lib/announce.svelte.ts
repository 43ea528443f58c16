// The one polite live region, mounted empty at start-up; only its text changes (ui-guide §14).

export const liveRegion = $state({ text: "" });

let pending: ReturnType<typeof setTimeout> | undefined;

/** Announces a message without moving focus. Repeating the same words announces them again. */
export function announce(message: string): void {
  clearTimeout(pending);
  liveRegion.text = "";
  pending = setTimeout(() => {
    liveRegion.text = message;
  }, 50);
}
