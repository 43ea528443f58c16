// Keyboard shortcuts. Every global shortcut uses a modifier key (ui-guide §9, WCAG 2.1.4).

/** `keys` are pressed together ("+"), or are alternatives ("or"). */
export type Shortcut = { keys: string[]; join?: "+" | "or"; does: string };

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ["Ctrl", "K"], does: "Search patients" },
  { keys: ["Ctrl", "/"], does: "Show or hide this list" },
  { keys: ["↓", "↑"], join: "or", does: "Move between the search box and the patients found" },
  { keys: ["Enter"], does: "Open the selected patient" },
];

function withModifier(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
}

export function isSearchShortcut(e: KeyboardEvent): boolean {
  return withModifier(e) && e.key.toLowerCase() === "k";
}

export function isHelpShortcut(e: KeyboardEvent): boolean {
  return withModifier(e) && e.key === "/";
}
