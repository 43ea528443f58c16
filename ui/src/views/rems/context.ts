// A table of sessions (the REMS due list) tells the export buttons in its rows that they are
// one of many: their ids then carry the session id (no duplicate ids), they are small, and their
// accessible names say which patient and session they are for.
import { getContext, setContext } from "svelte";

export type RowContext = {
  /** Hidden words added to a row's button label: "for ROSSI, Dana, session of 2 March 2026". */
  describe: (sessionId: number) => string;
};

const KEY = Symbol("rems-session-rows");

export function setRowContext(context: RowContext): void {
  setContext(KEY, context);
}

/** The rows' context, or undefined when the button stands on its own (a session's page). */
export function getRowContext(): RowContext | undefined {
  return getContext<RowContext | undefined>(KEY);
}
