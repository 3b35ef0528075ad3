//! Account layouts: 8-byte Anchor discriminator, then these alignment-1 `#[repr(C)]` structs, which
//! equal their Borsh encoding. Reserved bytes leave room to grow without reallocating.

use hourglass_core::idl::TypeSpec;
use hourglass_core::loaders::AccountType;
use hourglass_core::pod::{Layout, PodI64, PodU16, PodU32, PodU64};
use hourglass_core::{pod_struct, Address};

/// Basis-point denominator for multipliers and rates.
pub const BPS: u64 = 10_000;
/// Whole tokens of stake per GPU at multiplier 1 (io.net's rule).
pub const STAKE_PER_GPU_TOKENS: u64 = 200;
/// Default unbonding period: 14 days (an `unbonding_period` of 0 at initialisation means this).
pub const DEFAULT_UNBONDING_SECONDS: i64 = 14 * 24 * 60 * 60;
/// Shortest unbonding period accepted: one hour.
pub const MIN_UNBONDING_SECONDS: i64 = 60 * 60;
/// Longest unbonding period accepted: 365 days.
pub const MAX_UNBONDING_SECONDS: i64 = 365 * 24 * 60 * 60;
/// Default delay between `propose_slash` and `execute_slash`: 48 hours (a `slash_delay` of 0 means this).
pub const DEFAULT_SLASH_DELAY_SECONDS: i64 = 48 * 60 * 60;
/// Shortest slash delay accepted: one hour. It must also be shorter than the unbonding period, so stake
/// cannot leave before a proposed slash can be executed.
pub const MIN_SLASH_DELAY_SECONDS: i64 = 60 * 60;
/// `Device::co_factor` of a device never slashed (`0` in the account also reads as this): 10^16, so
/// the first four slashes of whole basis points scale it exactly.
pub const CO_FACTOR_ONE: u64 = 10_000_000_000_000_000;
/// Below this co-stake scale (10^-8 of untouched) a device takes no new co-stake until every co-staker
/// has left and the scale starts afresh: there is too little precision left to scale new stake.
pub const CO_FACTOR_MIN: u64 = 100_000_000;
/// Most attesters (orchestrator keys) the Config holds.
pub const MAX_ATTESTERS: usize = 8;

pod_struct! {
    /// Program-wide settings. PDA `["config"]`. Read-only for everyday instructions, so staking
    /// transactions never contend on it.
    pub struct Config {
        /// May change settings and GPU tiers (a multisig in production).
        pub authority: Address,
        /// The token suppliers stake.
        pub stake_mint: Address,
        /// PDA `["stake_vault"]`, token authority = this Config.
        pub stake_vault: Address,
        /// Token account (of `stake_mint`) receiving slashed stake.
        pub treasury: Address,
        /// Marks devices leased and may slash: the lease program's authority PDA (all zeros = none).
        pub lease_authority: Address,
        /// Seconds between a request to unstake and the withdrawal.
        pub unbonding_period: PodI64,
        /// Most a single slash may take, in basis points of the supplier's stake.
        pub max_slash_bps: PodU16,
        /// Decimals of `stake_mint`, read at initialisation.
        pub mint_decimals: u8,
        pub bump: u8,
        pub vault_bump: u8,
        pub attester_count: u8,
        /// A queued loosening of the slashing terms (see `update_config`): the bound it would set.
        pub pending_max_slash_bps: PodU16,
        /// Registered attesters (orchestrator operator keys); the first `attester_count` are valid.
        pub attesters: [Address; MAX_ATTESTERS],
        /// Seconds between `propose_slash` and the earliest `execute_slash`.
        pub slash_delay: PodI64,
        /// The queued unbonding period and slash delay.
        pub pending_unbonding_period: PodI64,
        pub pending_slash_delay: PodI64,
        /// When the queued change may be applied (0 = nothing queued).
        pub pending_at: PodI64,
        pub reserved: [u8; 32],
    }
}

pod_struct! {
    /// A GPU model's reward/stake multiplier. PDA `["gpu_tier", model_code]`.
    pub struct GpuTier {
        pub model_code: PodU16,
        /// Multiplier in basis points (10,000 = 1x); 0 = not eligible.
        pub multiplier_bps: PodU32,
        pub bump: u8,
        pub reserved: [u8; 25],
    }
}

/// `Device::status` values.
pub mod device_status {
    pub const ACTIVE: u8 = 0;
    pub const PAUSED: u8 = 1;
    pub const LEASED: u8 = 2;
}

/// `slash` reason codes (informational; recorded in the event).
pub mod slash_reason {
    pub const MISSED_HEARTBEATS: u8 = 1;
    pub const FAILED_JOB: u8 = 2;
    pub const ADMIN: u8 = 3;
    pub const MAX: u8 = 3;
}

pod_struct! {
    /// A registered GPU machine, at the device key's own address (see `register_device`).
    pub struct Device {
        /// The supplier's wallet.
        pub owner: Address,
        /// The key the device agent signs heartbeats with (= this account's address).
        pub device_key: Address,
        /// The lease this device serves, or all zeros.
        pub current_lease: Address,
        pub gpu_model: PodU16,
        pub gpu_count: PodU16,
        pub vram_gb: PodU16,
        /// ISO 3166-1 numeric country code of the machine.
        pub region: PodU16,
        /// Connectivity tier, 0 (none) to 5.
        pub bandwidth_tier: u8,
        /// See [`device_status`].
        pub status: u8,
        pub reserved0: [u8; 2],
        /// The GPU tier multiplier at registration (basis points).
        pub multiplier_bps: PodU32,
        /// The supplier's own active stake.
        pub stake: PodU64,
        /// Third parties' active stake (the sum of this device's CoStake amounts); at most `stake`,
        /// i.e. at most 50% of the total.
        pub co_stake: PodU64,
        /// The supplier's tokens waiting out the unbonding period.
        pub unbonding_amount: PodU64,
        /// When `unbonding_amount` may be withdrawn.
        pub unbonding_unlock_at: PodI64,
        /// Hours this device has proven over its life.
        pub proven_hours: PodU64,
        /// Everything slashed from this device over its life.
        pub slashed_total: PodU64,
        pub registered_at: PodI64,
        /// CoStake accounts with a non-zero amount or unbonding.
        pub co_staker_count: PodU32,
        /// Co-stakers' unbonding stake (the sum of this device's CoStake unbonding amounts).
        pub co_unbonding: PodU64,
        /// Scale of every co-stake since the device's first slash, [`CO_FACTOR_ONE`] = untouched (0 reads
        /// as that). A slash of `bps` multiplies it by (10,000 - bps) / 10,000; a CoStake's amounts are
        /// brought to it lazily (see [`CoStake::apply_factor`]), so slashes take from every co-staker
        /// pro rata without listing them.
        pub co_factor: PodU64,
        /// When `execute_slash` last took from this device. The discretionary-slash window runs from
        /// the first execution until one unbonding period has passed without one.
        pub last_slash_at: PodI64,
        /// Basis points executed by `execute_slash` within the current window.
        pub slash_window_bps: PodU16,
        pub reserved: [u8; 26],
    }
}

pod_struct! {
    /// A third party's stake on a device. PDA `["co_stake", device, staker]`.
    pub struct CoStake {
        pub staker: Address,
        pub device: Address,
        /// Active stake.
        pub amount: PodU64,
        pub unbonding_amount: PodU64,
        pub unbonding_unlock_at: PodI64,
        pub bump: u8,
        /// The device's `co_factor` these amounts are expressed at (0 = [`CO_FACTOR_ONE`]).
        pub factor: PodU64,
        pub reserved: [u8; 55],
    }
}

pod_struct! {
    /// A discretionary slash waiting out the delay. PDA `["slash_proposal", device]`: one open proposal
    /// per device; `execute_slash` and `cancel_slash` close it.
    pub struct SlashProposal {
        pub device: Address,
        /// The config authority that proposed it (receives the rent back).
        pub authority: Address,
        pub proposed_at: PodI64,
        pub executable_at: PodI64,
        pub bps: PodU16,
        /// See [`slash_reason`].
        pub reason: u8,
        pub bump: u8,
        pub reserved: [u8; 28],
    }
}
impl AccountType for Config {}
impl AccountType for GpuTier {}
impl AccountType for Device {}
impl AccountType for CoStake {}
impl AccountType for SlashProposal {}

impl Config {
    /// Whether `(unbonding_period, max_slash_bps, slash_delay)` would let slashes come faster or bigger
    /// than now: a higher bound, a shorter delay, or a shorter unbonding period (the window the bound
    /// applies to, and the time stake takes to leave).
    pub fn loosens(&self, unbonding_period: i64, max_slash_bps: u16, slash_delay: i64) -> bool {
        max_slash_bps > self.max_slash_bps.get() || slash_delay < self.slash_delay.get() || unbonding_period < self.unbonding_period.get()
    }

    /// Whether the lease program's authority has been set (it may be set once).
    pub fn lease_authority_set(&self) -> bool {
        self.lease_authority != Address::new_from_array([0; 32])
    }

    /// Whether `key` is the lease program's authority (never true before it is set).
    pub fn is_lease_authority(&self, key: &Address) -> bool {
        self.lease_authority_set() && &self.lease_authority == key
    }

    /// Whether `key` is a registered attester.
    pub fn is_attester(&self, key: &Address) -> bool {
        self.attesters[..self.attester_count as usize].iter().any(|a| a == key)
    }
}

impl Device {
    /// Supplier plus co-staker active stake.
    pub fn total_stake(&self) -> Option<u64> {
        self.stake.get().checked_add(self.co_stake.get())
    }

    /// Takes `bps` of every stake on the device: the supplier's active and unbonding stake, and the
    /// co-stakers' active and unbonding stake through the co-stake scale (so every co-staker loses the
    /// same share without being listed, and co-stake stays at most the supplier's stake). The device's
    /// co-stake totals round up and each position rounds down, so the totals always cover what the
    /// positions can withdraw. Returns what leaves the vault.
    pub fn slash(&mut self, bps: u16) -> Option<SlashCut> {
        use hourglass_core::math::{mul_div_ceil, mul_div_floor};
        let bps = bps as u64;
        if bps > BPS {
            return None;
        }
        let stake_cut = mul_div_floor(self.stake.get(), bps, BPS)?;
        let unbonding_cut = mul_div_floor(self.unbonding_amount.get(), bps, BPS)?;
        let factor = self.co_factor();
        let next = core::cmp::max(mul_div_floor(factor, BPS - bps, BPS)?, 1);
        let co_stake = mul_div_ceil(self.co_stake.get(), next, factor)?;
        let co_unbonding = mul_div_ceil(self.co_unbonding.get(), next, factor)?;
        let co_cut = (self.co_stake.get() - co_stake).checked_add(self.co_unbonding.get() - co_unbonding)?;
        let supplier_cut = stake_cut.checked_add(unbonding_cut)?;
        self.stake.set(self.stake.get() - stake_cut);
        self.unbonding_amount.set(self.unbonding_amount.get() - unbonding_cut);
        self.co_stake.set(co_stake);
        self.co_unbonding.set(co_unbonding);
        self.co_factor.set(next);
        let total = supplier_cut.checked_add(co_cut)?;
        self.slashed_total.set(self.slashed_total.get().checked_add(total)?);
        Some(SlashCut { total, co_stake: co_cut })
    }

    /// Checks `bps` more fit under `max_bps` in the discretionary-slash window at `now`. A window closes
    /// once `window` seconds (the unbonding period) pass without an execution, so any stretch of that
    /// length holds at most `max_bps` of executed slashes. Returns the window's bps with `bps` added.
    pub fn slash_window_room(&self, now: i64, window: i64, bps: u16, max_bps: u16) -> Option<u16> {
        let used = if now >= self.last_slash_at.get().saturating_add(window) { 0 } else { self.slash_window_bps.get() };
        let total = used.checked_add(bps)?;
        if total > max_bps {
            return None;
        }
        Some(total)
    }

    /// The co-stake scale now ([`CO_FACTOR_ONE`] for a device never slashed).
    pub fn co_factor(&self) -> u64 {
        stored_factor(self.co_factor.get())
    }

    /// This device's minimum stake for a stake mint of `mint_decimals` (see [`minimum_stake`]).
    pub fn minimum_stake(&self, mint_decimals: u8) -> Option<u64> {
        minimum_stake(mint_decimals, self.multiplier_bps.get(), self.gpu_count.get())
    }
}

/// A stored co-stake scale: 0 (an account from before any slash) reads as [`CO_FACTOR_ONE`].
fn stored_factor(v: u64) -> u64 {
    if v == 0 {
        CO_FACTOR_ONE
    } else {
        v
    }
}

/// What a slash took from a device, in base units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlashCut {
    /// Everything that leaves the vault.
    pub total: u64,
    /// The co-stakers' part of `total` (active and unbonding).
    pub co_stake: u64,
}

impl CoStake {
    /// This position's active and unbonding amounts at the device's current co-stake scale, rounded
    /// down (the device's totals keep the remainders, which the last co-staker to leave takes).
    pub fn effective(&self, device: &Device) -> Option<(u64, u64)> {
        let at = stored_factor(self.factor.get());
        let now = device.co_factor();
        if at == now {
            return Some((self.amount.get(), self.unbonding_amount.get()));
        }
        let scale = |v: u64| hourglass_core::math::mul_div_floor(v, now, at);
        Some((scale(self.amount.get())?, scale(self.unbonding_amount.get())?))
    }

    /// Brings the stored amounts to the device's current co-stake scale (after slashes).
    pub fn apply_factor(&mut self, device: &Device) -> Option<()> {
        let (amount, unbonding) = self.effective(device)?;
        self.amount = PodU64::new(amount);
        self.unbonding_amount = PodU64::new(unbonding);
        self.factor = PodU64::new(device.co_factor());
        Some(())
    }
}

/// Every account type, for the IDL.
pub const TYPES: &[TypeSpec] = &[
    TypeSpec { name: Config::NAME, fields: Config::FIELDS },
    TypeSpec { name: GpuTier::NAME, fields: GpuTier::FIELDS },
    TypeSpec { name: Device::NAME, fields: Device::FIELDS },
    TypeSpec { name: CoStake::NAME, fields: CoStake::FIELDS },
    TypeSpec { name: SlashProposal::NAME, fields: SlashProposal::FIELDS },
];

/// The unbonding period and slash delay a Config gets from its arguments: 0 picks each default; the
/// unbonding period must be between [`MIN_UNBONDING_SECONDS`] and [`MAX_UNBONDING_SECONDS`], the delay
/// at least [`MIN_SLASH_DELAY_SECONDS`] and shorter than the unbonding period.
pub fn config_periods(unbonding_period: i64, slash_delay: i64) -> Result<(i64, i64), crate::error::StakingError> {
    use crate::error::StakingError;
    let unbonding = if unbonding_period == 0 { DEFAULT_UNBONDING_SECONDS } else { unbonding_period };
    if !(MIN_UNBONDING_SECONDS..=MAX_UNBONDING_SECONDS).contains(&unbonding) {
        return Err(StakingError::InvalidUnbondingPeriod);
    }
    let delay = if slash_delay == 0 { DEFAULT_SLASH_DELAY_SECONDS } else { slash_delay };
    if delay < MIN_SLASH_DELAY_SECONDS || delay >= unbonding {
        return Err(StakingError::InvalidSlashDelay);
    }
    Ok((unbonding, delay))
}

/// 10^`decimals`, if it fits in a u64.
pub fn pow10(decimals: u8) -> Option<u64> {
    const POW10: [u64; 20] = {
        let mut t = [1u64; 20];
        let mut i = 1;
        while i < 20 {
            t[i] = t[i - 1] * 10;
            i += 1;
        }
        t
    };
    POW10.get(decimals as usize).copied()
}

/// io.net's minimum stake for a device: 200 tokens x max(1, multiplier) x GPU count, in base units.
pub fn minimum_stake(mint_decimals: u8, multiplier_bps: u32, gpu_count: u16) -> Option<u64> {
    use hourglass_core::math::{checked_mul, mul_div_ceil};
    let per_gpu = checked_mul(STAKE_PER_GPU_TOKENS, pow10(mint_decimals)?)?;
    let multiplier = core::cmp::max(multiplier_bps as u64, BPS);
    // With two or more decimals a token's 200 is a whole number of basis points: no wide division.
    let scaled = if per_gpu % BPS == 0 { checked_mul(per_gpu / BPS, multiplier)? } else { mul_div_ceil(per_gpu, multiplier, BPS)? };
    checked_mul(scaled, gpu_count as u64)
}

// Limits and the GPU catalogue, kept after the code above so its panic locations (line numbers in
// the programs' read-only data) stay where they were.

/// Most GPUs one device registers with.
pub const MAX_GPUS: u16 = 1024;
/// Highest connectivity tier (`Device::bandwidth_tier` is 0 to this).
pub const MAX_BANDWIDTH_TIER: u8 = 5;
/// Highest GPU tier multiplier: 1,000x.
pub const MAX_MULTIPLIER_BPS: u32 = 10_000_000;

/// A GPU model of the catalogue: the code devices register with (`Device::gpu_model`, the GpuTier PDA
/// seed), its display name, io.net's stake and reward multiplier for it (what `set_gpu_tier` is given
/// for the model; the GpuTier on chain is what counts) and its memory per GPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GpuModel {
    pub code: u16,
    pub name: &'static str,
    pub multiplier_bps: u32,
    pub vram_gb: u16,
}

/// The GPU models of the network (host-side description: the programs take any model code with a
/// GpuTier; clients, the indexer and the localnet name and configure models from this table).
pub const GPU_MODELS: &[GpuModel] = &[
    GpuModel { code: 1, name: "H100", multiplier_bps: 100_000, vram_gb: 80 },
    GpuModel { code: 2, name: "A100", multiplier_bps: 60_000, vram_gb: 80 },
    GpuModel { code: 3, name: "RTX 4090", multiplier_bps: 10_000, vram_gb: 24 },
    GpuModel { code: 4, name: "RTX 4070", multiplier_bps: 2_500, vram_gb: 12 },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_have_reserved_room_and_no_padding() {
        // No padding is a compile-time assertion of `pod_struct!`; the sizes are part of the ABI.
        assert_eq!(Config::LEN, 8 + 5 * 32 + 8 + 2 + 4 + 2 + 8 * 32 + 64);
        assert_eq!(GpuTier::LEN, 40);
        assert_eq!(Device::LEN, 8 + 3 * 32 + 8 + 4 + 4 + 7 * 8 + 4 + 52);
        assert_eq!(Device::LEN, 232);
        assert_eq!(CoStake::LEN, 8 + 2 * 32 + 3 * 8 + 1 + 63);
        assert_eq!(SlashProposal::LEN, 8 + 2 * 32 + 2 * 8 + 2 + 1 + 1 + 28);
    }

    #[test]
    fn config_periods_default_and_bound() {
        use crate::error::StakingError as E;
        assert_eq!(config_periods(0, 0), Ok((DEFAULT_UNBONDING_SECONDS, DEFAULT_SLASH_DELAY_SECONDS)));
        assert_eq!(config_periods(3_600, 0), Err(E::InvalidSlashDelay), "48 h is not shorter than 1 h");
        assert_eq!(config_periods(7_200, 3_600), Ok((7_200, 3_600)));
        assert_eq!(config_periods(3_599, 0), Err(E::InvalidUnbondingPeriod));
        assert_eq!(config_periods(1, 0), Err(E::InvalidUnbondingPeriod));
        assert_eq!(config_periods(-1, 0), Err(E::InvalidUnbondingPeriod));
        assert_eq!(config_periods(MAX_UNBONDING_SECONDS + 1, 0), Err(E::InvalidUnbondingPeriod));
        assert_eq!(config_periods(0, 3_599), Err(E::InvalidSlashDelay));
        assert_eq!(config_periods(0, DEFAULT_UNBONDING_SECONDS), Err(E::InvalidSlashDelay));
    }

    fn device(stake: u64, unbonding: u64) -> Device {
        // SAFETY: Device is a pod_struct of integer and byte-array fields, for which all zeros is valid.
        let mut d: Device = unsafe { core::mem::zeroed() };
        d.stake.set(stake);
        d.unbonding_amount.set(unbonding);
        d
    }

    #[test]
    fn slashes_take_pro_rata_from_every_stake_and_never_owe_more_than_the_totals() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _ in 0..200 {
            let mut d = device(1_000_000 + next(10_000_000_000), next(1_000_000_000));
            // SAFETY: as above, for CoStake.
            let mut positions: [CoStake; 4] = unsafe { core::mem::zeroed() };
            let mut vault = d.stake.get() + d.unbonding_amount.get();
            let mut treasury = 0u64;
            for _ in 0..40 {
                let i = next(4) as usize;
                match next(4) {
                    0 => {
                        // co_stake: the position catches up with the scale, then grows.
                        let room = d.stake.get() - d.co_stake.get();
                        let add = next(room / 2 + 1);
                        positions[i].apply_factor(&d).unwrap();
                        positions[i].amount.set(positions[i].amount.get() + add);
                        d.co_stake.set(d.co_stake.get() + add);
                        vault += add;
                    }
                    1 => {
                        positions[i].apply_factor(&d).unwrap();
                        let out = next(positions[i].amount.get() + 1);
                        positions[i].amount.set(positions[i].amount.get() - out);
                        positions[i].unbonding_amount.set(positions[i].unbonding_amount.get() + out);
                        d.co_stake.set(d.co_stake.get() - out);
                        d.co_unbonding.set(d.co_unbonding.get() + out);
                    }
                    2 => {
                        positions[i].apply_factor(&d).unwrap();
                        let out = positions[i].unbonding_amount.get();
                        positions[i].unbonding_amount.set(0);
                        d.co_unbonding.set(d.co_unbonding.get() - out);
                        vault -= out;
                    }
                    _ => {
                        let bps = 1 + next(2_000) as u16;
                        let before = (d.stake.get(), d.co_stake.get(), d.co_unbonding.get());
                        let factor_before = d.co_factor();
                        let cut = d.slash(bps).unwrap();
                        vault -= cut.total;
                        treasury += cut.total;
                        // Each kind of stake loses about bps of itself (the co totals round up).
                        let want = before.0 * bps as u64 / BPS;
                        assert_eq!(before.0 - d.stake.get(), want);
                        // The co-stakers' cut is bps of their stake, give or take the rounding of the
                        // two totals and of the scale (one part in the scale).
                        let co = before.1 + before.2;
                        let co_want = (co as u128 * bps as u128 / BPS as u128) as u64;
                        let slack = 2 + co / factor_before;
                        assert!(cut.co_stake + slack >= co_want && cut.co_stake <= co_want + slack, "{} vs {}", cut.co_stake, co_want);
                    }
                }
                // The vault covers every stake, the totals cover every position, the co-stake cap holds.
                assert_eq!(vault, d.stake.get() + d.unbonding_amount.get() + d.co_stake.get() + d.co_unbonding.get());
                let (mut active, mut unbonding) = (0u64, 0u64);
                for p in &positions {
                    let (a, u) = p.effective(&d).unwrap();
                    active += a;
                    unbonding += u;
                }
                assert!(active <= d.co_stake.get() && unbonding <= d.co_unbonding.get());
                assert!(d.co_stake.get() <= d.stake.get());
                assert_eq!(d.slashed_total.get(), treasury);
            }
        }
    }

    #[test]
    fn slash_window_bounds_the_total_per_period() {
        let mut d = device(1, 0);
        d.last_slash_at.set(i64::MIN / 2);
        assert_eq!(d.slash_window_room(100, 50, 600, 1_000), Some(600));
        d.last_slash_at.set(100);
        d.slash_window_bps.set(600);
        assert_eq!(d.slash_window_room(149, 50, 500, 1_000), None, "over the bound within the window");
        assert_eq!(d.slash_window_room(149, 50, 400, 1_000), Some(1_000));
        d.last_slash_at.set(140);
        d.slash_window_bps.set(1_000);
        assert_eq!(d.slash_window_room(189, 50, 1, 1_000), None, "the window runs on from the latest execution");
        assert_eq!(d.slash_window_room(190, 50, 1_000, 1_000), Some(1_000), "a quiet period closes it");
    }

    #[test]
    fn gpu_models_have_unique_ascending_codes_and_valid_multipliers() {
        assert!(GPU_MODELS.windows(2).all(|w| w[0].code < w[1].code));
        assert!(GPU_MODELS.iter().all(|m| m.code > 0 && m.multiplier_bps <= MAX_MULTIPLIER_BPS && !m.name.is_empty()));
    }

    #[test]
    fn minimum_stake_follows_io_net_rule() {
        // H100: multiplier 10, 8 GPUs, 6 decimals -> 200 * 10 * 8 tokens.
        assert_eq!(minimum_stake(6, 100_000, 8), Some(16_000_000_000));
        // RTX 4070 (0.25x) still needs the 1x floor.
        assert_eq!(minimum_stake(6, 2_500, 1), Some(200_000_000));
        assert_eq!(minimum_stake(9, 15_000, 3), Some(900_000_000_000));
        assert_eq!(minimum_stake(20, 10_000, 1), None);
        assert_eq!(minimum_stake(18, u32::MAX, u16::MAX), None);
        // Fewer than two decimals take the rounding-up path.
        assert_eq!(minimum_stake(0, 12_345, 1), Some(247));
        assert_eq!(minimum_stake(1, 10_001, 1), Some(2_001));
        assert_eq!(pow10(19), Some(10_000_000_000_000_000_000));
        assert_eq!(pow10(20), None);
    }
}
