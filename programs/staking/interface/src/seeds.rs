//! PDA seeds. Every PDA stores its canonical bump at creation (found by search, never taken from the
//! caller); see `hourglass_core::loaders` on how later loads rely on it.

/// `["config"]`: the singleton Config; also the token authority of the stake vault.
pub const CONFIG: &[u8] = b"config";
/// `["stake_vault"]`: the SPL token account holding every stake and unbonding amount.
pub const STAKE_VAULT: &[u8] = b"stake_vault";
/// `["gpu_tier", model_code (u16 LE)]`: one GpuTier per GPU model.
pub const GPU_TIER: &[u8] = b"gpu_tier";
/// `["co_stake", device, staker]`: one CoStake per (device, third-party staker).
pub const CO_STAKE: &[u8] = b"co_stake";
/// `["slash_proposal", device]`: the open discretionary slash proposal of a device, if any.
pub const SLASH_PROPOSAL: &[u8] = b"slash_proposal";
