//! The C memory builtins LLVM calls for copies, fills and comparisons it does not expand inline
//! (our alignment-1 layouts make every 32-byte address compare a `memcmp` call). Implemented with the
//! runtime's memory syscalls: about 10 CU each, where the byte-at-a-time fallbacks the linker would
//! otherwise supply cost 5-6 CU per byte.
//!
//! `memcpy` is only ever emitted for non-overlapping ranges (Rust guarantees it); the runtime rejects
//! an overlapping `sol_memcpy_`, so overlapping moves go through `memmove`.

use pinocchio::syscalls as sys;

/// # Safety
/// The C `memcpy` contract: `dst` and `src` valid for `n` bytes and not overlapping.
#[no_mangle]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller upholds the memcpy contract, which is the syscall's.
    unsafe { sys::sol_memcpy_(dst, src, n as u64) };
    dst
}

/// # Safety
/// The C `memmove` contract: `dst` and `src` valid for `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller upholds the memmove contract, which is the syscall's.
    unsafe { sys::sol_memmove_(dst, src, n as u64) };
    dst
}

/// # Safety
/// The C `memset` contract: `dst` valid for `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    // SAFETY: the caller upholds the memset contract, which is the syscall's.
    unsafe { sys::sol_memset_(dst, c as u8, n as u64) };
    dst
}

/// # Safety
/// The C `memcmp` contract: `a` and `b` valid for `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut result: i32 = 0;
    // SAFETY: the caller upholds the memcmp contract; `result` is a valid i32 slot.
    unsafe { sys::sol_memcmp_(a, b, n as u64, &mut result) };
    result
}

/// # Safety
/// The C `bcmp` contract: `a` and `b` valid for `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: same contract as memcmp.
    unsafe { memcmp(a, b, n) }
}
