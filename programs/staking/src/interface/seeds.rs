//! PDA seeds. Every PDA stores its canonical bump at creation; later instructions re-derive with the
//! stored bump (never one supplied by the caller).

/// `["config"]`: the singleton Config; also the token authority of the stake vault.
pub const CONFIG: &[u8] = b"config";
/// `["stake_vault"]`: the SPL token account holding every device's stake and unbonding tokens.
pub const STAKE_VAULT: &[u8] = b"stake_vault";
/// `["gpu_tier", model_code (u16 LE)]`: one GpuTier per GPU model.
pub const GPU_TIER: &[u8] = b"gpu_tier";
