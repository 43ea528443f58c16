//! What the running app holds: the vault folder, its instance lock, and the unlocked
//! session (`None` = locked). Commands reach the session only through `with_session`, which
//! runs the closure on a blocking thread and answers `Locked` when there is none.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ketachart_core::session::CloseReason;
use ketachart_core::vault::{InstanceLock, VaultDir};
use ketachart_core::{CoreError, Session};

use crate::error::IpcError;

pub struct AppState {
    pub vault: VaultDir,
    /// Held for the life of the process once taken: one app per vault. If another app held it
    /// at start-up, it is tried again whenever the UI asks for the status ("Try again").
    instance: Mutex<Option<InstanceLock>>,
    /// Why the vault could not be prepared at start-up (no home folder, demo creation failed).
    startup_problem: Option<String>,
    session: Arc<Mutex<Option<Session>>>,
    /// Last user input reported by the UI (or the unlock), for the idle lock.
    activity: Mutex<Instant>,
    /// The idle time in force for the current session.
    idle_limit: Mutex<Duration>,
    /// `--idle-lock-seconds`: a shorter idle time than the clinic's (never a longer one).
    idle_cap: Option<Duration>,
    /// Mirrors `session.is_some()` for checks that must not wait for a long operation
    /// (a backup holds the session) on the async runtime.
    unlocked: Arc<AtomicBool>,
    /// No scheduled backup is tried before this (an hour after a failure).
    next_scheduled_backup: Mutex<Instant>,
    /// Patient self-entry ("hand the laptop to the patient"): while set, every ordinary
    /// command is refused and only the kiosk commands run; a staff member's unlock, any lock
    /// or the kiosk's shorter idle time ends it.
    kiosk: Arc<Mutex<Option<Kiosk>>>,
}

/// The questionnaires handed to a patient, and which are done.
#[derive(Debug, Clone)]
pub struct Kiosk {
    pub patient_id: i64,
    pub instruments: Vec<String>,
    pub done: Vec<String>,
}

impl Kiosk {
    pub fn remaining(&self) -> Vec<String> {
        self.instruments
            .iter()
            .filter(|i| !self.done.contains(i))
            .cloned()
            .collect()
    }
}

/// The kiosk returns to the lock screen sooner than the clinic's idle time (decisions.md: the
/// kiosk has its own shorter idle return).
pub const KIOSK_IDLE: Duration = Duration::from_secs(180);

fn kiosk_refusal() -> IpcError {
    IpcError::new(
        crate::error::ErrorCode::Forbidden,
        "KetaChart is in patient self-entry mode. A staff member unlocks it to continue",
    )
}

impl AppState {
    pub fn new(dir: PathBuf) -> Self {
        let vault = VaultDir::new(dir);
        let instance = vault.lock_exclusive().ok();
        Self {
            vault,
            instance: Mutex::new(instance),
            startup_problem: None,
            session: Arc::new(Mutex::new(None)),
            activity: Mutex::new(Instant::now()),
            idle_limit: Mutex::new(Duration::from_secs(600)),
            idle_cap: None,
            unlocked: Arc::new(AtomicBool::new(false)),
            next_scheduled_backup: Mutex::new(Instant::now()),
            kiosk: Arc::new(Mutex::new(None)),
        }
    }

    pub fn set_idle_cap(&mut self, cap: Duration) {
        self.idle_cap = Some(cap);
    }

    /// The idle time for a session, from the clinic's setting and the launch cap.
    pub fn idle_limit_for(&self, s: &Session) -> Duration {
        let minutes = ketachart_core::settings::idle_lock_minutes(s)
            .unwrap_or(ketachart_core::settings::IDLE_LOCK_MINUTES_DEFAULT);
        let clinic = Duration::from_secs(u64::from(minutes) * 60);
        match self.idle_cap {
            Some(c) if c < clinic => c,
            _ => clinic,
        }
    }

    /// After the clinic's idle time changed.
    pub fn refresh_idle_limit(&self) {
        let limit = self
            .session
            .lock()
            .ok()
            .and_then(|g| g.as_ref().map(|s| self.idle_limit_for(s)));
        if let (Some(l), Ok(mut slot)) = (limit, self.idle_limit.lock()) {
            *slot = l;
        }
    }

    /// Runs the daily backup if one is due (called periodically while the app runs).
    pub fn run_scheduled_backup(&self) {
        let due = self
            .next_scheduled_backup
            .lock()
            .map(|n| Instant::now() >= *n)
            .unwrap_or(false);
        if !due {
            return;
        }
        let Ok(mut guard) = self.session.try_lock() else {
            return;
        };
        if let Some(s) = guard.as_mut() {
            match ketachart_core::backup::create_scheduled(s, chrono::Utc::now(), &|_| {}) {
                Ok(Some(_)) => tracing::info!("scheduled backup written and verified"),
                Ok(None) => {}
                Err(e) => {
                    // Tried again in an hour, not every minute (the failure is audited).
                    tracing::warn!(kind = e.kind(), "scheduled backup failed");
                    if let Ok(mut n) = self.next_scheduled_backup.lock() {
                        *n = Instant::now() + Duration::from_secs(3600);
                    }
                }
            }
        }
    }

    pub fn touch(&self) {
        if let Ok(mut a) = self.activity.lock() {
            *a = Instant::now();
        }
    }

    /// Locks the session if nobody has touched the app for the idle time. Returns whether
    /// it locked now.
    pub fn lock_if_idle(&self) -> bool {
        let limit = self
            .idle_limit
            .lock()
            .map(|l| *l)
            .unwrap_or(Duration::from_secs(600));
        let idle = self
            .activity
            .lock()
            .map(|a| a.elapsed())
            .unwrap_or_default();
        if idle < limit {
            return false;
        }
        // try_lock: a long operation (a backup) in progress is activity; check again later.
        let Ok(mut guard) = self.session.try_lock() else {
            return false;
        };
        match guard.take() {
            Some(s) => {
                self.end_kiosk();
                self.unlocked.store(false, Ordering::SeqCst);
                s.close(CloseReason::Idle);
                tracing::info!("vault locked after inactivity");
                true
            }
            None => false,
        }
    }

    pub fn is_unlocked(&self) -> bool {
        self.unlocked.load(Ordering::SeqCst)
    }

    /// Why the vault cannot be used right now, if it cannot: a start-up failure, or the
    /// instance lock (in use, read-only folder, a file in the way), which is retried here.
    pub fn problem(&self) -> Option<String> {
        if let Some(p) = &self.startup_problem {
            return Some(p.clone());
        }
        let mut slot = match self.instance.lock() {
            Ok(s) => s,
            Err(_) => return Some(crate::error::INTERNAL_MESSAGE.into()),
        };
        if slot.is_none() {
            match self.vault.lock_exclusive() {
                Ok(l) => *slot = Some(l),
                Err(e) => return Some(e.to_string()),
            }
        }
        None
    }

    pub fn set_startup_problem(&mut self, e: &CoreError) {
        self.startup_problem = Some(e.to_string());
    }

    /// Replaces the session (unlock) — the previous one, if any, is closed — with `limit`
    /// (from `idle_limit_for`) as the idle time in force.
    pub fn set_session(&self, s: Session, limit: Duration) -> Result<(), IpcError> {
        let mut slot = self
            .session
            .lock()
            .map_err(|_| IpcError::internal("session mutex poisoned"))?;
        if let Some(old) = slot.take() {
            old.close(CloseReason::Lock);
        }
        self.end_kiosk();
        *slot = Some(s);
        self.unlocked.store(true, Ordering::SeqCst);
        if let Ok(mut l) = self.idle_limit.lock() {
            *l = limit;
        }
        self.touch();
        Ok(())
    }

    /// Ends the session: the connection closes and SQLCipher wipes its key.
    pub fn lock(&self, reason: CloseReason) -> Result<(), IpcError> {
        let old = self
            .session
            .lock()
            .map_err(|_| IpcError::internal("session mutex poisoned"))?
            .take();
        self.end_kiosk();
        self.unlocked.store(false, Ordering::SeqCst);
        if let Some(s) = old {
            s.close(reason);
        }
        Ok(())
    }

    /// `lock` as a task that can run on a blocking thread (it may wait for a backup).
    pub fn lock_task(
        &self,
        reason: CloseReason,
    ) -> impl FnOnce() -> Result<(), IpcError> + Send + 'static {
        let slot = self.session.clone();
        let unlocked = self.unlocked.clone();
        let kiosk = self.kiosk.clone();
        move || {
            let old = slot
                .lock()
                .map_err(|_| IpcError::internal("session mutex poisoned"))?
                .take();
            if let Ok(mut k) = kiosk.lock() {
                *k = None;
            }
            unlocked.store(false, Ordering::SeqCst);
            if let Some(s) = old {
                s.close(reason);
            }
            Ok(())
        }
    }

    pub fn idle_limit(&self) -> Duration {
        self.idle_limit
            .lock()
            .map(|l| *l)
            .unwrap_or(Duration::from_secs(600))
    }

    /// Runs `f` with the session slot itself (restore replaces or empties it).
    pub async fn with_slot<T, F>(&self, f: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Option<Session>) -> Result<T, IpcError> + Send + 'static,
    {
        if self.in_kiosk() {
            return Err(kiosk_refusal());
        }
        let slot = self.session.clone();
        let unlocked = self.unlocked.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = slot
                .lock()
                .map_err(|_| IpcError::internal("session mutex poisoned"))?;
            if guard.is_none() {
                return Err(IpcError::locked());
            }
            let r = f(&mut guard);
            unlocked.store(guard.is_some(), Ordering::SeqCst);
            r
        })
        .await
        .map_err(|_| IpcError::internal("blocking task failed"))?
    }

    pub fn session_summary<T>(&self, f: impl FnOnce(&Session) -> T) -> Option<T> {
        self.session.lock().ok().and_then(|g| g.as_ref().map(f))
    }

    /// Runs `f` with the unlocked session on a blocking thread (SQL never runs on the async
    /// runtime or the main thread).
    pub async fn with_session<T, F>(&self, f: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Session) -> Result<T, IpcError> + Send + 'static,
    {
        if self.in_kiosk() {
            return Err(kiosk_refusal());
        }
        let slot = self.session.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = match slot.lock() {
                Ok(g) => g,
                Err(poisoned) => {
                    // A command panicked while it held the session: what it left cannot be
                    // trusted, so the vault is locked (dropping the connection rolls back any
                    // open transaction) and the person unlocks again, instead of every later
                    // command failing until the app restarts.
                    let mut g = poisoned.into_inner();
                    *g = None;
                    drop(g);
                    slot.clear_poison();
                    tracing::error!("a command panicked; the vault was locked");
                    return Err(IpcError::locked());
                }
            };
            let session = guard.as_mut().ok_or_else(IpcError::locked)?;
            f(session)
        })
        .await
        .map_err(|_| IpcError::internal("blocking task failed"))?
    }

    pub fn in_kiosk(&self) -> bool {
        self.kiosk.lock().map(|k| k.is_some()).unwrap_or(true)
    }

    fn end_kiosk(&self) {
        if let Ok(mut k) = self.kiosk.lock() {
            *k = None;
        }
    }

    /// The kiosk in progress, if any (no session needed: it holds no patient details).
    pub fn kiosk(&self) -> Option<Kiosk> {
        self.kiosk.lock().ok().and_then(|k| k.clone())
    }

    /// Hands the laptop to the patient: from now on only the kiosk commands run, and the
    /// idle time is the kiosk's.
    pub fn start_kiosk(&self, k: Kiosk) -> Result<(), IpcError> {
        let mut slot = self
            .kiosk
            .lock()
            .map_err(|_| IpcError::internal("kiosk mutex poisoned"))?;
        *slot = Some(k);
        if let Ok(mut l) = self.idle_limit.lock() {
            *l = (*l).min(KIOSK_IDLE);
        }
        self.touch();
        Ok(())
    }

    /// Runs `f` with the session and the kiosk (kiosk commands only).
    pub async fn with_kiosk<T, F>(&self, f: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Session, &mut Kiosk) -> Result<T, IpcError> + Send + 'static,
    {
        let slot = self.session.clone();
        let kiosk = self.kiosk.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = slot
                .lock()
                .map_err(|_| IpcError::internal("session mutex poisoned"))?;
            let session = guard.as_mut().ok_or_else(IpcError::locked)?;
            let mut k = kiosk
                .lock()
                .map_err(|_| IpcError::internal("kiosk mutex poisoned"))?;
            let k = k.as_mut().ok_or_else(|| {
                IpcError::new(
                    crate::error::ErrorCode::Conflict,
                    "Patient self-entry has ended",
                )
            })?;
            f(session, k)
        })
        .await
        .map_err(|_| IpcError::internal("blocking task failed"))?
    }

    /// Runs vault work that needs no session (create, unlock) on a blocking thread.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(VaultDir) -> Result<T, IpcError> + Send + 'static,
    {
        if let Some(p) = self.problem() {
            return Err(IpcError::new(crate::error::ErrorCode::Conflict, p));
        }
        let vault = self.vault.clone();
        tauri::async_runtime::spawn_blocking(move || f(vault))
            .await
            .map_err(|_| IpcError::internal("blocking task failed"))?
    }
}
