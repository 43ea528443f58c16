// The idle lock, as the UI sees it. The core locks the vault by itself after the clinic's idle
// time without activity; the UI reports input (at most once every 2 s, plus one trailing report
// so the core's clock matches the last input) and warns 30 s before the lock (WCAG 2.2.1), or
// halfway through an idle time shorter than a minute.

export type IdleTrackerOptions = {
  /** Seconds without input before the core locks (SessionInfo.idleLockSeconds). */
  limitSeconds: number;
  /** Reports activity to the core; resolves false when the vault is already locked. */
  report: () => Promise<boolean>;
  /** Seconds left while the warning is due, or null when there is no warning. */
  onwarning: (secondsLeft: number | null) => void;
  /** Called once a few seconds after the limit passed without a lock event (a missed event). */
  onexpired?: () => void;
  warnSeconds?: number;
  throttleMs?: number;
  tickMs?: number;
  /** How long after the limit `onexpired` is called. */
  graceMs?: number;
  now?: () => number;
};

export type IdleTracker = {
  /** Input seen (key, pointer, wheel, touch): reported to the core, throttled. */
  activity: () => void;
  /** The clinic's idle time changed. */
  setLimit: (seconds: number) => void;
  stop: () => void;
};

export const ACTIVITY_EVENTS = ["keydown", "pointerdown", "wheel", "touchstart"] as const;

export function createIdleTracker(options: IdleTrackerOptions): IdleTracker {
  const {
    report,
    onwarning,
    onexpired,
    warnSeconds = 30,
    throttleMs = 2000,
    tickMs = 500,
    graceMs = 3000,
    now = () => Date.now(),
  } = options;

  let limitMs = options.limitSeconds * 1000;
  // The core restarted its clock when this session was unlocked.
  let since = now();
  let lastSent = Number.NEGATIVE_INFINITY;
  let trailing: ReturnType<typeof setTimeout> | undefined;
  let shown: number | null = null;
  let expiredCalled = false;
  let stopped = false;

  function update() {
    if (stopped) return;
    const left = since + limitMs - now();
    // A very short idle time (a test setting) is warned halfway, not for the whole session.
    const warnMs = Math.min(warnSeconds * 1000, limitMs / 2);
    const next = left <= warnMs ? Math.max(0, Math.ceil(left / 1000)) : null;
    if (next !== shown) {
      shown = next;
      onwarning(next);
    }
    if (left <= -graceMs && !expiredCalled) {
      expiredCalled = true;
      onexpired?.();
    }
  }

  function send() {
    if (stopped) return;
    lastSent = now();
    since = lastSent;
    expiredCalled = false;
    update();
    void report().then((unlocked) => {
      if (!unlocked) stop();
    });
  }

  function activity() {
    if (stopped) return;
    const wait = lastSent + throttleMs - now();
    if (wait <= 0) {
      clearTimeout(trailing);
      trailing = undefined;
      send();
    } else if (trailing === undefined) {
      trailing = setTimeout(() => {
        trailing = undefined;
        send();
      }, wait);
    }
  }

  const ticker = setInterval(update, tickMs);
  update();

  function stop() {
    stopped = true;
    clearInterval(ticker);
    clearTimeout(trailing);
    trailing = undefined;
  }

  return {
    activity,
    setLimit(seconds: number) {
      limitMs = seconds * 1000;
      update();
    },
    stop,
  };
}

/** "10 minutes", "1 minute", "90 seconds": how long the idle time is, in words. */
export function idleTimeText(seconds: number): string {
  if (seconds >= 60 && seconds % 60 === 0) {
    const m = seconds / 60;
    return `${m} ${m === 1 ? "minute" : "minutes"}`;
  }
  return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
}
