// Every command goes through `call`, which turns transport failures into IpcErrors and routes
// the errors the whole app reacts to: "Locked" → the unlock screen, "Internal" and
// "Forbidden" → a banner that stays until dismissed.
import type { IpcError } from "./bindings";

export type Result<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

type Handlers = {
  locked: () => void;
  internal: (message: string) => void;
  forbidden?: (message: string) => void;
};

const NONE: Handlers = { locked: () => {}, internal: () => {}, forbidden: () => {} };

let handlers: Handlers = NONE;

/** Registers the app-wide reactions; returns a function that removes them. */
export function setIpcHandlers(next: Handlers): () => void {
  handlers = next;
  return () => {
    handlers = NONE;
  };
}

export const UNREACHABLE_MESSAGE =
  "KetaChart could not reach its data store. Close KetaChart and open it again; if it keeps happening, the log has details for support";

const CODES = new Set(["Locked", "NotFound", "Validation", "Conflict", "Forbidden", "Internal"]);

/** Whatever came back, as an IpcError: never a raw object or stack trace for the user. */
export function toIpcError(raw: unknown): IpcError {
  if (typeof raw === "object" && raw !== null) {
    const r = raw as Partial<IpcError>;
    if (typeof r.code === "string" && CODES.has(r.code) && typeof r.message === "string") {
      return { code: r.code, message: r.message, fields: r.fields ?? null };
    }
  }
  return { code: "Internal", message: UNREACHABLE_MESSAGE, fields: null };
}

/** The answer with any failure as an IpcError, without the app-wide reactions of `call`. */
export async function toResult<T>(pending: Promise<Result<T>>): Promise<Result<T>> {
  try {
    const r = await pending;
    return r.status === "ok" ? r : { status: "error", error: toIpcError(r.error) };
  } catch (e) {
    return { status: "error", error: toIpcError(e) };
  }
}

export async function call<T>(pending: Promise<Result<T>>): Promise<Result<T>> {
  const result = await toResult(pending);
  if (result.status === "error") {
    const { code, message } = result.error;
    if (code === "Locked") handlers.locked();
    else if (code === "Internal") handlers.internal(message);
    else if (code === "Forbidden") handlers.forbidden?.(message);
  }
  return result;
}
