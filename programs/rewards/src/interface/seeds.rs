//! PDA seeds (bumps stored at creation).

/// `["pool"]`: the EmissionPool; mint authority of the reward token and owner of the reward vault.
pub const POOL: &[u8] = b"pool";
/// `["reward_vault"]`: token account holding emitted, unclaimed rewards.
pub const REWARD_VAULT: &[u8] = b"reward_vault";
/// `["device_reward", device]`: a device's nomination state and reward checkpoint.
pub const DEVICE_REWARD: &[u8] = b"device_reward";
/// `["co_reward", device, staker]`: a co-staker's share of a device's rewards.
pub const CO_REWARD: &[u8] = b"co_reward";
