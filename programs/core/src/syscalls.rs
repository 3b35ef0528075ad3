//! Safe wrappers over the runtime syscalls Hourglass programs use.
//!
//! On the SBF target these call the runtime (`sol_log_`, `sol_log_data`, `sol_sha256`, `sol_memcpy_`,
//! `sol_memset_`, `sol_memcmp_`, `sol_log_compute_units_`, `sol_create_program_address`,
//! `sol_try_find_program_address`, and the clock and rent sysvar getters through pinocchio). On the host
//! the pure ones have exact equivalents so logic that uses them can be unit-tested; the ones that only
//! make sense inside the runtime (logging, sysvars, program addresses) are no-ops or report an error.
//! CPI (`invoke`, `invoke_signed`) is re-exported from pinocchio.

pub use pinocchio::cpi::{invoke, invoke_signed, Seed, Signer};

use crate::{Address, ProgramError};

#[cfg(target_arch = "bpf")]
use pinocchio::syscalls as sys;

/// Writes `msg` to the program log.
#[inline(always)]
pub fn log(msg: &str) {
    #[cfg(target_arch = "bpf")]
    // SAFETY: the pointer and length describe a live string slice.
    unsafe {
        sys::sol_log_(msg.as_ptr(), msg.len() as u64)
    };
    #[cfg(not(target_arch = "bpf"))]
    let _ = msg;
}

/// Writes `data` to the log as one `Program data: <base64>` line.
#[inline(always)]
pub fn log_data(data: &[u8]) {
    #[cfg(target_arch = "bpf")]
    {
        let parts: [&[u8]; 1] = [data];
        // SAFETY: `parts` is an array of one (pointer, length) pair, the layout the syscall reads.
        unsafe { sys::sol_log_data(parts.as_ptr() as *const u8, 1) };
    }
    #[cfg(not(target_arch = "bpf"))]
    let _ = data;
}

/// Logs the remaining compute units (for measurements).
#[inline(always)]
pub fn log_compute_units() {
    #[cfg(target_arch = "bpf")]
    // SAFETY: the syscall takes no arguments.
    unsafe {
        sys::sol_log_compute_units_()
    };
}

/// SHA-256 over the concatenation of `parts`.
#[inline]
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    #[cfg(target_arch = "bpf")]
    {
        let mut out = [0u8; 32];
        // SAFETY: `parts` is a slice of (pointer, length) pairs; `out` has room for 32 bytes.
        unsafe { sys::sol_sha256(parts.as_ptr() as *const u8, parts.len() as u64, out.as_mut_ptr()) };
        out
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        host::sha256_parts(parts)
    }
}

/// Copies `src` into `dst`; the lengths must match.
#[inline(always)]
pub fn memcpy(dst: &mut [u8], src: &[u8]) {
    assert_eq!(dst.len(), src.len());
    #[cfg(target_arch = "bpf")]
    // SAFETY: both ranges are valid for `len` bytes and, being `&mut` and `&`, do not overlap.
    unsafe {
        sys::sol_memcpy_(dst.as_mut_ptr(), src.as_ptr(), src.len() as u64)
    };
    #[cfg(not(target_arch = "bpf"))]
    dst.copy_from_slice(src);
}

/// Fills `dst` with `value`.
#[inline(always)]
pub fn memset(dst: &mut [u8], value: u8) {
    #[cfg(target_arch = "bpf")]
    // SAFETY: `dst` is valid for `len` bytes.
    unsafe {
        sys::sol_memset_(dst.as_mut_ptr(), value, dst.len() as u64)
    };
    #[cfg(not(target_arch = "bpf"))]
    dst.fill(value);
}

/// `true` when the two byte slices are equal.
#[inline(always)]
pub fn memeq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    #[cfg(target_arch = "bpf")]
    {
        let mut result: i32 = 0;
        // SAFETY: both ranges are valid for `len` bytes; `result` is a valid i32 slot.
        unsafe { sys::sol_memcmp_(a.as_ptr(), b.as_ptr(), a.len() as u64, &mut result) };
        result == 0
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        a == b
    }
}

/// The Clock sysvar (the fields programs use).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    pub slot: u64,
    pub epoch: u64,
    pub unix_timestamp: i64,
}

/// Reads the Clock sysvar through `sol_get_clock_sysvar`, which every runtime our programs meet
/// implements (the newer generic `sol_get_sysvar` is missing from solana-bankrun's runtime).
#[inline(always)]
pub fn clock() -> Result<Clock, ProgramError> {
    #[cfg(target_arch = "bpf")]
    {
        // slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
        let mut raw = [0u64; 5];
        // SAFETY: the syscall writes the 40-byte Clock into `raw`, which is 40 bytes and 8-aligned.
        #[allow(deprecated)]
        let rc = unsafe { sys::sol_get_clock_sysvar(raw.as_mut_ptr() as *mut u8) };
        if rc != 0 {
            return Err(ProgramError::UnsupportedSysvar);
        }
        Ok(Clock { slot: raw[0], epoch: raw[2], unix_timestamp: raw[4] as i64 })
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        Err(ProgramError::UnsupportedSysvar)
    }
}

/// Bytes the runtime charges rent for on top of an account's data.
pub const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;

/// Lamports an account of `space` bytes needs to be rent-exempt, from the Rent sysvar
/// (`sol_get_rent_sysvar`): `((128 + space) * lamports_per_byte_year) as f64 * exemption_threshold`.
#[inline(always)]
pub fn rent_exempt_minimum(space: usize) -> Result<u64, ProgramError> {
    #[cfg(target_arch = "bpf")]
    {
        // lamports_per_byte_year: u64, exemption_threshold: f64, burn_percent: u8 (+ padding).
        let mut raw = [0u64; 3];
        // SAFETY: the syscall writes the 17-byte Rent (24 with padding) into `raw`.
        #[allow(deprecated)]
        let rc = unsafe { sys::sol_get_rent_sysvar(raw.as_mut_ptr() as *mut u8) };
        if rc != 0 {
            return Err(ProgramError::UnsupportedSysvar);
        }
        rent_exempt_minimum_from(space, raw[0], raw[1])
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        rent_exempt_minimum_from(space, 3480, 2.0f64.to_bits())
    }
}

/// The rent-exempt minimum with the threshold given as IEEE-754 bits, evaluated in integers (no
/// floats on-chain): the threshold is mantissa x 2^exponent, applied to the 128-bit product.
pub fn rent_exempt_minimum_from(space: usize, lamports_per_byte_year: u64, threshold_bits: u64) -> Result<u64, ProgramError> {
    use crate::math::{checked_mul, U128};
    let overflow = || ProgramError::from(crate::error::CoreError::Overflow);
    let bytes = (space as u64).checked_add(ACCOUNT_STORAGE_OVERHEAD).ok_or_else(overflow)?;
    let base = checked_mul(bytes, lamports_per_byte_year).ok_or_else(overflow)?;
    let exponent = ((threshold_bits >> 52) & 0x7ff) as i64;
    if threshold_bits >> 63 != 0 || exponent == 0x7ff {
        return Err(ProgramError::InvalidArgument);
    }
    let fraction = threshold_bits & ((1u64 << 52) - 1);
    let (mantissa, exponent) = if exponent == 0 { (fraction, -1074) } else { (fraction | (1u64 << 52), exponent - 1075) };
    let product = U128::from_u64(base).checked_mul_u64(mantissa).ok_or_else(overflow)?;
    let value = if exponent >= 0 {
        let mut v = product;
        for _ in 0..exponent {
            v = v.checked_add(v).ok_or_else(overflow)?;
        }
        v
    } else {
        product.shr(exponent.unsigned_abs() as u32)
    };
    value.to_u64().ok_or_else(overflow)
}

/// The program address for `seeds` (the last seed is the bump), or `WrongPda` when the seeds land on
/// the curve.
#[inline]
pub fn create_program_address(seeds: &[&[u8]], program_id: &Address) -> Result<Address, ProgramError> {
    #[cfg(target_arch = "bpf")]
    {
        let mut out = [0u8; 32];
        // SAFETY: `seeds` is a slice of (pointer, length) pairs; `program_id` and `out` are 32 bytes.
        let rc = unsafe { sys::sol_create_program_address(seeds.as_ptr() as *const u8, seeds.len() as u64, program_id.as_ref().as_ptr(), out.as_mut_ptr()) };
        if rc == 0 {
            Ok(Address::new_from_array(out))
        } else {
            Err(crate::error::CoreError::WrongPda.into())
        }
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = (seeds, program_id);
        Err(ProgramError::UnsupportedSysvar)
    }
}

/// The canonical program address and bump for `seeds`.
#[inline]
pub fn find_program_address(seeds: &[&[u8]], program_id: &Address) -> Result<(Address, u8), ProgramError> {
    #[cfg(target_arch = "bpf")]
    {
        let mut out = [0u8; 32];
        let mut bump = 0u8;
        // SAFETY: as in `create_program_address`; `bump` is a valid one-byte slot.
        let rc = unsafe {
            sys::sol_try_find_program_address(seeds.as_ptr() as *const u8, seeds.len() as u64, program_id.as_ref().as_ptr(), out.as_mut_ptr(), &mut bump)
        };
        if rc == 0 {
            Ok((Address::new_from_array(out), bump))
        } else {
            Err(crate::error::CoreError::WrongPda.into())
        }
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = (seeds, program_id);
        Err(ProgramError::UnsupportedSysvar)
    }
}

#[cfg(not(target_arch = "bpf"))]
mod host {
    /// SHA-256 of concatenated parts without allocating: folds the parts two at a time into a fixed
    /// buffer. Host-only (tests); the parts must total at most 1 KiB.
    pub fn sha256_parts(parts: &[&[u8]]) -> [u8; 32] {
        let mut buf = [0u8; 1024];
        let mut n = 0;
        for p in parts {
            buf[n..n + p.len()].copy_from_slice(p);
            n += p.len();
        }
        crate::sha256::sha256(&buf[..n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_equivalents() {
        assert_eq!(sha256(&[b"ab", b"c"]), crate::sha256::sha256(b"abc"));
        let mut dst = [0u8; 4];
        memcpy(&mut dst, &[1, 2, 3, 4]);
        assert_eq!(dst, [1, 2, 3, 4]);
        memset(&mut dst[1..], 9);
        assert_eq!(dst, [1, 9, 9, 9]);
        assert!(memeq(&dst, &[1, 9, 9, 9]));
        assert!(!memeq(&dst, &[1, 9, 9]));
    }

    #[test]
    fn rent_matches_the_runtime_formula() {
        // The default Rent: 3,480 lamports per byte-year, threshold 2.0.
        assert_eq!(rent_exempt_minimum(0).unwrap(), 890_880);
        assert_eq!(rent_exempt_minimum(165).unwrap(), 2_039_280);
        for (space, lpby, threshold) in [(100usize, 3480u64, 1.0f64), (10, 1000, 0.5), (7, 999, 2.5), (0, 1, 1e-3), (50, 7, 3.75)] {
            let expected = (((space as u64 + 128) * lpby) as f64 * threshold) as u64;
            assert_eq!(rent_exempt_minimum_from(space, lpby, threshold.to_bits()).unwrap(), expected);
        }
        assert!(rent_exempt_minimum_from(1, 1, (-1.0f64).to_bits()).is_err());
        assert!(rent_exempt_minimum_from(1, 1, f64::INFINITY.to_bits()).is_err());
    }
}
