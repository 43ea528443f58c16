//! One running app per vault: an exclusive advisory lock on `.ketachart.lock` in the vault
//! folder, held for the life of the process (released by the OS even after a crash).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{CoreError, CoreResult};

#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

impl InstanceLock {
    pub(crate) fn acquire(dir: &Path, lock_path: &Path) -> CoreResult<Self> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    CoreError::ReadOnly(dir.to_path_buf())
                }
                _ => CoreError::Io(e),
            })?;
        match file.try_lock() {
            Ok(()) => Ok(Self {
                _file: file,
                path: lock_path.to_path_buf(),
            }),
            Err(TryLockError::WouldBlock) => Err(CoreError::InUse(dir.to_path_buf())),
            Err(TryLockError::Error(e)) => Err(CoreError::Io(e)),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
