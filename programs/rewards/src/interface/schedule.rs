//! io.net's emission schedule in integer fixed point.
//!
//! Hour h (h = 0 at pool start) pays 4,566.21 tokens x (1 - 0.0000138869523959793)^h for
//! 0 <= h < 175,319, and the total never exceeds 300,000,000 tokens: the last hour pays whatever the
//! cap leaves. The pool keeps the current hour's reward as a Q64.64 number of base units and multiplies
//! it by the decay factor, held as a Q0.64 fraction, once per hour, so no power is ever computed and no
//! per-hour table is stored. Truncation loses at most 2^-64 base units per hour and the factor is exact
//! to 2^-65, so over 175,319 hours the rate stays within 10^-4 base units of the exact value: each hour's
//! amount (the floor of the rate) is within one base unit of the exact schedule. The exact schedule sums
//! to 299,999,997.0004 tokens, so the last hour pays its own reward plus what the cap leaves (~3 tokens).

use hourglass_core::math::U128;

/// Hours in the schedule (20 years).
pub const HOURS: u32 = 175_319;
/// Hour 0's reward in hundredths of a token: 4,566.21.
pub const FIRST_HOUR_CENTI_TOKENS: u64 = 456_621;
/// Whole tokens the schedule may ever emit.
pub const CAP_TOKENS: u64 = 300_000_000;
/// The hourly decay, 0.0000138869523959793 = DECAY_NUM / DECAY_DEN.
pub const DECAY_NUM: u64 = 138_869_523_959_793;
pub const DECAY_DEN: u64 = 10_000_000_000_000_000_000;
/// 1 - decay as a Q0.64 fraction, rounded to nearest (computed at compile time).
pub const FACTOR_Q64: u64 = (((((DECAY_DEN - DECAY_NUM) as u128) << 64) + (DECAY_DEN as u128 / 2)) / DECAY_DEN as u128) as u64;

/// 10^`decimals`.
pub fn pow10(decimals: u8) -> Option<u64> {
    let mut v: u64 = 1;
    for _ in 0..decimals {
        v = hourglass_core::math::checked_mul(v, 10)?;
    }
    Some(v)
}

/// Hour 0's rate (Q64.64 base units) for a mint with `decimals` (at least 2).
pub fn first_rate(decimals: u8) -> Option<U128> {
    let scale = pow10(decimals.checked_sub(2)?)?;
    Some(U128::new(hourglass_core::math::checked_mul(FIRST_HOUR_CENTI_TOKENS, scale)?, 0))
}

/// The cap in base units.
pub fn cap(decimals: u8) -> Option<u64> {
    hourglass_core::math::checked_mul(CAP_TOKENS, pow10(decimals)?)
}

/// The next hour's rate.
#[inline]
pub fn next_rate(rate: U128) -> U128 {
    // rate * factor < rate, so the top 128 bits never overflow.
    rate.mul_u64_shr64(FACTOR_Q64).unwrap_or(U128::ZERO)
}

/// What hour `hour` pays, given its rate and what was emitted before it.
#[inline]
pub fn hour_amount(hour: u32, rate: U128, emitted: u64, cap: u64) -> u64 {
    let left = cap.saturating_sub(emitted);
    if hour >= HOURS {
        0
    } else if hour == HOURS - 1 {
        left
    } else {
        core::cmp::min(rate.hi, left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use num_traits::{ToPrimitive, Zero};

    /// Every hour against a reference carried with 256 fractional bits and the exact decimal factor.
    #[test]
    fn every_hour_is_within_one_base_unit_and_the_total_is_the_cap() {
        for decimals in [6u8, 9] {
            let scale_bits = 256u32;
            let den = BigUint::from(DECAY_DEN);
            let num = BigUint::from(DECAY_DEN - DECAY_NUM);
            let mut exact = BigUint::from(first_rate(decimals).unwrap().hi) << scale_bits;
            let mut rate = first_rate(decimals).unwrap();
            let cap = cap(decimals).unwrap();
            let mut emitted = 0u64;
            let mut reference_total = BigUint::zero();
            let mut worst = 0i64;
            for h in 0..HOURS {
                let reference = (&exact >> scale_bits).to_u64().unwrap();
                let amount = hour_amount(h, rate, emitted, cap);
                if h < HOURS - 1 {
                    let diff = amount as i64 - reference as i64;
                    assert!(diff.abs() <= 1, "hour {h}: {amount} vs reference {reference}");
                    worst = worst.max(diff.abs());
                }
                reference_total += &exact;
                emitted += amount;
                rate = next_rate(rate);
                exact = (&exact * &num + &den / 2u8) / &den;
            }
            assert_eq!(emitted, cap, "the last hour absorbs the rounding");
            // The exact schedule sums to 299,999,997.0004 tokens: below the cap, so the last hour pays
            // its own reward plus the ~3 tokens the cap leaves, and no hour ever takes the total over it.
            let reference_total_units = (reference_total >> scale_bits).to_u64().unwrap();
            assert!(reference_total_units <= cap);
            assert!(cap - reference_total_units < 4 * 10u64.pow(decimals as u32), "reference total {reference_total_units}");
            assert!(worst <= 1);
        }
    }

    #[test]
    fn first_and_last_hours() {
        let r0 = first_rate(6).unwrap();
        assert_eq!(hour_amount(0, r0, 0, cap(6).unwrap()), 4_566_210_000);
        assert_eq!(hour_amount(HOURS, r0, 0, cap(6).unwrap()), 0);
        assert!(first_rate(1).is_none());
        // The factor is 1 - 1.38869523959793e-5 to within 2^-64.
        let f = FACTOR_Q64 as f64 / 2f64.powi(64);
        assert!((f - (1.0 - 0.0000138869523959793)).abs() < 1e-15);
    }
}
