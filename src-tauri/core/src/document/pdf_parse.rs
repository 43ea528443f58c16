//! Parsing untrusted PDF bytes without putting the app at risk.
//!
//! Why: `lopdf` (0.44) has known panics on malformed input and recurses without a bound on
//! nested objects and page trees (lopdf issue #532). The app parses an imported file and a
//! packet's attachments while it holds the session's mutex: a panic there would poison the
//! mutex (every later command fails until restart), and a deep recursion on a small worker
//! stack would overflow it and abort the whole process. So every lopdf parse of bytes that came
//! from outside runs through [`guarded`]: on a thread of its own with a large stack (deep but
//! finite nesting fits; the memory is only reserved, not used), inside `catch_unwind`. A panic,
//! or a thread that could not start or died, is reported as `None`, which callers turn into
//! "not a readable PDF". The panic's message is not printed (it could quote the file's bytes).
//!
//! Used by `content::inspect` on import and by `ketachart-pdf`'s merge of packet attachments.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// Stack of the parsing thread: 256 MiB (reserved address space; pages are touched only as
/// deep as the recursion actually goes).
pub const PARSE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// The parsing thread's name; the panic hook stays quiet for it.
const PARSE_THREAD: &str = "ketachart-pdf-parse";

/// Installs (once) a panic hook that says nothing for panics on the parsing thread and passes
/// every other panic to the hook that was there before.
fn quiet_parse_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(PARSE_THREAD) {
                previous(info);
            }
        }));
    });
}

/// Runs `parse` (a parse of untrusted bytes) on a dedicated thread with a
/// [`PARSE_STACK_BYTES`] stack, catching a panic. `None` when it panicked or the thread could
/// not run; the caller treats that as an unreadable file.
pub fn guarded<T, F>(parse: F) -> Option<T>
where
    F: FnOnce() -> T + Send,
    T: Send,
{
    quiet_parse_panics();
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name(PARSE_THREAD.into())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, move || {
                panic::catch_unwind(AssertUnwindSafe(parse)).ok()
            })
            .ok()?;
        // Joined here, so a panic that escaped anyway does not reach the scope (which would
        // re-raise it).
        handle.join().ok().flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_comes_back() {
        let bytes = [1u8, 2, 3];
        assert_eq!(
            guarded(|| bytes.iter().map(|&b| b as u32).sum::<u32>()),
            Some(6)
        );
    }

    #[test]
    fn a_panic_is_none_and_the_caller_goes_on() {
        let r: Option<u32> = guarded(|| panic!("lopdf fell over"));
        assert_eq!(r, None);
        // And the next parse works.
        assert_eq!(guarded(|| 7), Some(7));
    }

    #[test]
    fn deep_recursion_fits_on_the_parsing_stack() {
        // Tens of MiB of frames: far beyond a default 2 MiB (spawned) or 8 MiB (main) stack.
        fn down(n: u32) -> u32 {
            let pad = std::hint::black_box([0u8; 1024]);
            if n == 0 {
                u32::from(pad[0])
            } else {
                down(n - 1) + u32::from(std::hint::black_box(pad)[1])
            }
        }
        assert_eq!(guarded(|| down(16 * 1024)), Some(0));
    }
}
