//! Integer math that the LLVM 22 eBPF backend can lower.
//!
//! The backend has no `__multi3`, `__udivti3` or `__lshrti3`, so nothing here multiplies, divides or
//! variably shifts a `u128`, and no `u64` multiplication is overflow-checked by the compiler. Wide values
//! are two `u64` limbs ([`U128`]); products come from [`mul_wide`], quotients from a 128-by-64 long
//! division on 32-bit digits (Knuth's algorithm D, two digits). Every fallible operation returns `Option`.

use core::cmp::Ordering;

const LOW32: u64 = 0xffff_ffff;
const DIGIT: u64 = 1 << 32;

/// An unsigned 128-bit value held as two 64-bit limbs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct U128 {
    pub hi: u64,
    pub lo: u64,
}

impl U128 {
    pub const ZERO: Self = Self { hi: 0, lo: 0 };
    pub const MAX: Self = Self { hi: u64::MAX, lo: u64::MAX };

    #[inline(always)]
    pub const fn new(hi: u64, lo: u64) -> Self {
        Self { hi, lo }
    }

    #[inline(always)]
    pub const fn from_u64(v: u64) -> Self {
        Self { hi: 0, lo: v }
    }

    /// The value as a `u64`, if it fits.
    #[inline(always)]
    pub const fn to_u64(self) -> Option<u64> {
        if self.hi == 0 {
            Some(self.lo)
        } else {
            None
        }
    }

    #[inline]
    pub fn checked_add(self, other: Self) -> Option<Self> {
        let (lo, carry) = self.lo.overflowing_add(other.lo);
        let hi = self.hi.checked_add(other.hi)?.checked_add(carry as u64)?;
        Some(Self { hi, lo })
    }

    #[inline]
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        let (lo, borrow) = self.lo.overflowing_sub(other.lo);
        let hi = self.hi.checked_sub(other.hi)?.checked_sub(borrow as u64)?;
        Some(Self { hi, lo })
    }

    /// `self * m`, if the product fits in 128 bits.
    #[inline]
    pub fn checked_mul_u64(self, m: u64) -> Option<Self> {
        let low = mul_wide(self.lo, m);
        let high = mul_wide(self.hi, m);
        if high.hi != 0 {
            return None;
        }
        let hi = low.hi.checked_add(high.lo)?;
        Some(Self { hi, lo: low.lo })
    }

    /// `self >> shift` (0 when `shift >= 128`), with only 64-bit shifts.
    #[inline]
    pub fn shr(self, shift: u32) -> Self {
        match shift {
            0 => self,
            1..=63 => Self { hi: self.hi >> shift, lo: (self.lo >> shift) | (self.hi << (64 - shift)) },
            64..=127 => Self { hi: 0, lo: self.hi >> (shift - 64) },
            _ => Self::ZERO,
        }
    }

    /// `(self * m) >> 64`, exact (the 192-bit product's top 128 bits); `None` if that overflows.
    /// For Q64.64 fixed point: a value times a Q0.64 factor, or a Q64.64 rate times a weight.
    #[inline]
    pub fn mul_u64_shr64(self, m: u64) -> Option<Self> {
        let low = mul_wide(self.lo, m);
        let high = mul_wide(self.hi, m);
        // product = high << 64 + low; >> 64 = high + low.hi
        let (lo, carry) = high.lo.overflowing_add(low.hi);
        let hi = high.hi.checked_add(carry as u64)?;
        Some(Self { hi, lo })
    }

    /// `(self / d, self % d)`; `None` when `d == 0`.
    #[inline]
    pub fn div_rem_u64(self, d: u64) -> Option<(Self, u64)> {
        if d == 0 {
            return None;
        }
        let q_hi = self.hi / d;
        let r_hi = self.hi - q_hi * d;
        let (q_lo, r) = div_128_by_64(r_hi, self.lo, d);
        Some((Self { hi: q_hi, lo: q_lo }, r))
    }
}

impl PartialOrd for U128 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for U128 {
    fn cmp(&self, other: &Self) -> Ordering {
        match self.hi.cmp(&other.hi) {
            Ordering::Equal => self.lo.cmp(&other.lo),
            unequal => unequal,
        }
    }
}

/// The full 128-bit product of two `u64`s, from four 32x32->64 partial products.
///
/// LLVM recognises this textbook form (even with opaque operands) as a multiply-high and turns it back
/// into an `i128` multiply, which the eBPF backend lowers to the missing `__multi3`. Reading one partial
/// product through a volatile load hides the pattern; it costs a store and a load.
#[inline]
pub fn mul_wide(a: u64, b: u64) -> U128 {
    let (a_lo, a_hi) = (a & LOW32, a >> 32);
    let (b_lo, b_hi) = (b & LOW32, b >> 32);
    // Each partial product of two 32-bit digits fits in 64 bits.
    let ll = a_lo * b_lo;
    let lh_value = a_lo * b_hi;
    // SAFETY: reading a local through a valid reference.
    let lh = unsafe { core::ptr::read_volatile(&lh_value) };
    let hl = a_hi * b_lo;
    let hh = a_hi * b_hi;
    // At most 3 * (2^32 - 1): no overflow.
    let mid = (ll >> 32) + (lh & LOW32) + (hl & LOW32);
    U128 { hi: hh + (lh >> 32) + (hl >> 32) + (mid >> 32), lo: (ll & LOW32) | (mid << 32) }
}

/// `a * b` if it fits in a `u64`.
#[inline]
pub fn checked_mul(a: u64, b: u64) -> Option<u64> {
    mul_wide(a, b).to_u64()
}

/// Divides the 128-bit value `hi:lo` by `d`, where `hi < d` (so the quotient fits in 64 bits).
/// Returns `(quotient, remainder)`.
///
/// Knuth's algorithm D with 32-bit digits (as in Hacker's Delight, `divlu`): normalise so the divisor's
/// top bit is set, then estimate each of the two quotient digits from the top digits and correct the
/// estimate at most twice.
fn div_128_by_64(hi: u64, lo: u64, d: u64) -> (u64, u64) {
    debug_assert!(hi < d);
    let s = d.leading_zeros();
    let d = d << s;
    let (un64, un10) = if s == 0 { (hi, lo) } else { ((hi << s) | (lo >> (64 - s)), lo << s) };
    let (vn1, vn0) = (d >> 32, d & LOW32);
    let (un1, un0) = (un10 >> 32, un10 & LOW32);

    let mut q1 = un64 / vn1;
    let mut rhat = un64 - q1 * vn1;
    // q1 < 2^32 and rhat < 2^32 are checked before the products that rely on them.
    while q1 >= DIGIT || q1 * vn0 > (rhat << 32) + un1 {
        q1 -= 1;
        rhat += vn1;
        if rhat >= DIGIT {
            break;
        }
    }
    // The true partial remainder is below d, so the wrapped arithmetic is exact.
    let un21 = (un64 << 32).wrapping_add(un1).wrapping_sub(q1.wrapping_mul(d));

    let mut q0 = un21 / vn1;
    rhat = un21 - q0 * vn1;
    while q0 >= DIGIT || q0 * vn0 > (rhat << 32) + un0 {
        q0 -= 1;
        rhat += vn1;
        if rhat >= DIGIT {
            break;
        }
    }
    let r = (un21 << 32).wrapping_add(un0).wrapping_sub(q0.wrapping_mul(d)) >> s;
    ((q1 << 32) | q0, r)
}

/// Rounding direction for [`mul_div`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Toward zero: the payer of a rounding error is the receiver.
    Floor,
    /// Away from zero: the payer of a rounding error is the sender.
    Ceil,
}

/// `a * b / d` computed exactly in 128 bits, rounded as asked; `None` if `d == 0` or the result does not
/// fit in a `u64`.
#[inline]
pub fn mul_div(a: u64, b: u64, d: u64, rounding: Rounding) -> Option<u64> {
    if d == 0 {
        return None;
    }
    let p = mul_wide(a, b);
    if p.hi >= d {
        return None;
    }
    let (q, r) = div_128_by_64(p.hi, p.lo, d);
    match rounding {
        Rounding::Floor => Some(q),
        Rounding::Ceil if r == 0 => Some(q),
        Rounding::Ceil => q.checked_add(1),
    }
}

/// `floor(a * b / d)`.
#[inline]
pub fn mul_div_floor(a: u64, b: u64, d: u64) -> Option<u64> {
    mul_div(a, b, d, Rounding::Floor)
}

/// `ceil(a * b / d)`.
#[inline]
pub fn mul_div_ceil(a: u64, b: u64, d: u64) -> Option<u64> {
    mul_div(a, b, d, Rounding::Ceil)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn wide(v: U128) -> u128 {
        ((v.hi as u128) << 64) | v.lo as u128
    }
    fn limbs(v: u128) -> U128 {
        U128::new((v >> 64) as u64, v as u64)
    }

    /// Values that stress carries and normalisation: near powers of two, all ones, tiny.
    fn edgy() -> impl Strategy<Value = u64> {
        prop_oneof![
            any::<u64>(),
            (0u32..64).prop_map(|s| 1u64 << s),
            (0u32..64).prop_map(|s| (1u64 << s).wrapping_sub(1)),
            (0u32..64, 1u64..4).prop_map(|(s, k)| (1u64 << s).wrapping_add(k)),
            Just(u64::MAX),
            0u64..1000,
        ]
    }

    #[test]
    fn corner_cases() {
        assert_eq!(wide(mul_wide(u64::MAX, u64::MAX)), (u64::MAX as u128) * (u64::MAX as u128));
        assert_eq!(mul_div_floor(u64::MAX, u64::MAX, u64::MAX), Some(u64::MAX));
        assert_eq!(mul_div_floor(u64::MAX, 2, 1), None);
        assert_eq!(mul_div_floor(1, 1, 0), None);
        assert_eq!(mul_div_ceil(7, 3, 2), Some(11));
        assert_eq!(mul_div_floor(7, 3, 2), Some(10));
        assert_eq!(mul_div_ceil(u64::MAX, u64::MAX - 1, u64::MAX), Some(u64::MAX - 1));
        assert_eq!(checked_mul(1 << 32, 1 << 32), None);
        assert_eq!(checked_mul((1 << 32) - 1, 1 << 32), Some(u64::MAX - (1 << 32) + 1));
        assert_eq!(U128::MAX.checked_add(U128::from_u64(1)), None);
        assert_eq!(U128::ZERO.checked_sub(U128::from_u64(1)), None);
        assert_eq!(U128::from_u64(5).div_rem_u64(0), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn mul_wide_matches_u128(a in edgy(), b in edgy()) {
            prop_assert_eq!(wide(mul_wide(a, b)), a as u128 * b as u128);
            prop_assert_eq!(checked_mul(a, b), a.checked_mul(b));
        }

        #[test]
        fn mul_div_matches_u128(a in edgy(), b in edgy(), d in edgy()) {
            let p = a as u128 * b as u128;
            let floor = if d == 0 { None } else { u64::try_from(p / d as u128).ok() };
            let ceil = if d == 0 { None } else { u64::try_from(p.div_ceil(d as u128)).ok() };
            prop_assert_eq!(mul_div_floor(a, b, d), floor);
            prop_assert_eq!(mul_div_ceil(a, b, d), ceil);
        }

        #[test]
        fn div_rem_matches_u128(n in any::<u128>(), d in edgy()) {
            let got = limbs(n).div_rem_u64(d);
            if d == 0 {
                prop_assert_eq!(got, None);
            } else {
                let (q, r) = got.unwrap();
                prop_assert_eq!(wide(q), n / d as u128);
                prop_assert_eq!(r as u128, n % d as u128);
            }
        }

        #[test]
        fn add_sub_cmp_match_u128(x in any::<u128>(), y in any::<u128>()) {
            prop_assert_eq!(limbs(x).checked_add(limbs(y)).map(wide), x.checked_add(y));
            prop_assert_eq!(limbs(x).checked_sub(limbs(y)).map(wide), x.checked_sub(y));
            prop_assert_eq!(limbs(x).cmp(&limbs(y)), x.cmp(&y));
        }

        #[test]
        fn shr_matches_u128(x in any::<u128>(), s in 0u32..140) {
            let expected = if s >= 128 { 0 } else { x >> s };
            prop_assert_eq!(wide(limbs(x).shr(s)), expected);
        }

        #[test]
        fn mul_shr64_matches_wide_reference(x in any::<u128>(), m in edgy()) {
            // (x * m) >> 64 computed with a 192-bit split of x into halves.
            let (xh, xl) = (x >> 64, x & u64::MAX as u128);
            let low = xl * m as u128;
            let high = xh * m as u128;
            let expected = high.checked_add(low >> 64);
            prop_assert_eq!(limbs(x).mul_u64_shr64(m).map(wide), expected);
        }

        #[test]
        fn mul_u64_matches_u128(x in any::<u128>(), m in edgy()) {
            prop_assert_eq!(limbs(x).checked_mul_u64(m).map(wide), x.checked_mul(m as u128));
        }
    }
}
