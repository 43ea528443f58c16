//! What the running app holds: the vault folder, its instance lock, and the unlocked
//! session (`None` = locked). Commands reach the session only through `with_session`, which
//! runs the closure on a blocking thread and answers `Locked` when there is none.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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
        }
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

    /// Replaces the session (unlock) — the previous one, if any, is dropped and closed.
    pub fn set_session(&self, s: Session) -> Result<(), IpcError> {
        *self
            .session
            .lock()
            .map_err(|_| IpcError::internal("session mutex poisoned"))? = Some(s);
        Ok(())
    }

    /// Drops the session: the connection closes and SQLCipher wipes its key.
    pub fn lock(&self) -> Result<(), IpcError> {
        let old = self
            .session
            .lock()
            .map_err(|_| IpcError::internal("session mutex poisoned"))?
            .take();
        drop(old);
        Ok(())
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
        let slot = self.session.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = slot
                .lock()
                .map_err(|_| IpcError::internal("session mutex poisoned"))?;
            let session = guard.as_mut().ok_or_else(IpcError::locked)?;
            f(session)
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
