//! How the server gives memory back to the system.
//!
//! mimalloc keeps the pages a thread freed until that thread allocates again
//! (its `purge_delay`, a second, is counted on the thread's next allocations), so
//! after a burst of requests the idle workers held ~125 MB of freed pages for
//! as long as the server stayed idle. A server returns them as they are
//! freed; the batch commands (register, import, generate) keep the default,
//! which is cheaper for a writer that never idles.

/// mimalloc's `mi_option_purge_delay` (the 16th of `mi_option_e` in both the
/// v2 and the v3 sources libmimalloc-sys 0.1 bundles; v3, the one built, has
/// it at 1000 ms by default): the crate names the option after it but not
/// this one. `the_purge_delay_option_is_the_one_set` checks it is the option
/// before `use_numa_nodes` and holds that default.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system at once, from every thread.
#[allow(unsafe_code)]
pub fn return_freed_memory_at_once() {
    // SAFETY: mi_option_set writes one integer option that mimalloc reads on
    // each purge; any option id and value are accepted.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(unsafe_code)]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads and writes integer options only.
        unsafe {
            let numa = libmimalloc_sys::mi_option_get(libmimalloc_sys::mi_option_use_numa_nodes);
            assert_eq!(libmimalloc_sys::mi_option_use_numa_nodes - 1, PURGE_DELAY);
            assert_eq!(libmimalloc_sys::mi_option_get(PURGE_DELAY), 1000);
            return_freed_memory_at_once();
            assert_eq!(libmimalloc_sys::mi_option_get(PURGE_DELAY), 0);
            assert_eq!(libmimalloc_sys::mi_option_get(libmimalloc_sys::mi_option_use_numa_nodes), numa);
        }
    }
}
