//! Staking errors: codes 6100..=6199, append-only.

use hourglass_core::error_enum;

error_enum! {
    pub enum StakingError {
        NotAuthority = 6100 => "Only the config authority may do this",
        GpuNotEligible = 6101 => "This GPU model is not eligible (tier multiplier is 0)",
        InvalidGpuCount = 6102 => "GPU count must be between 1 and 1024",
        BelowMinimumStake = 6103 => "The device's stake would be below its minimum (200 tokens x max(1, multiplier) x GPUs)",
        InsufficientStake = 6104 => "Less stake than requested",
        LeasedBelowMinimum = 6105 => "A leased device cannot unstake below its minimum",
        StillUnbonding = 6106 => "The unbonding period has not ended",
        NothingToWithdraw = 6107 => "Nothing is unbonding",
        InvalidAmount = 6108 => "The amount must be greater than zero",
        NotDeviceOwner = 6109 => "Only the device's supplier may do this",
        InvalidUnbondingPeriod = 6110 => "The unbonding period must be between one hour and 365 days (0 = 14 days)",
        InvalidSlashBound = 6111 => "The slash bound must be at most 10,000 basis points",
        WrongVault = 6112 => "The stake vault is not the configured one",
        GpuTierMismatch = 6113 => "The GPU tier account is for another model",
        InvalidBandwidthTier = 6114 => "The bandwidth tier must be between 0 and 5",
        InvalidMultiplier = 6115 => "The tier multiplier must be at most 1,000x (10,000,000 bps)",
        CoStakeOverHalf = 6116 => "Co-stakers may hold at most 50% of a device's total stake",
        SlashOverBound = 6117 => "The slash exceeds the configured maximum per event",
        NotSlashAuthority = 6118 => "Only the lease program's authority may slash directly; the config authority proposes slashes",
        DeviceLeased = 6119 => "The device is leased",
        DeviceNotActive = 6120 => "The device is not active",
        DeviceHasStake = 6121 => "Deregistering needs no stake, co-stake or unbonding left",
        NotLeaseAuthority = 6122 => "Only the lease program's authority may do this",
        TooManyAttesters = 6123 => "The attester set is full",
        UnknownAttester = 6124 => "The key is not a registered attester",
        DuplicateAttester = 6125 => "The key is already a registered attester",
        WrongTreasury = 6126 => "The treasury is not the configured one",
        InvalidSlashReason = 6127 => "Unknown slash reason code",
        SelfCoStake = 6128 => "A device's supplier stakes with `stake`, not `co_stake`",
        WrongDevice = 6129 => "The co-stake account belongs to another device",
        InvalidSlashDelay = 6130 => "The slash delay must be at least one hour and shorter than the unbonding period (0 = 48 hours)",
        SlashOverTotalBound = 6131 => "Slashes within one unbonding period would exceed the configured maximum",
        SlashNotExecutable = 6132 => "The slash proposal's delay has not passed",
        WrongProposal = 6133 => "The slash proposal belongs to another device or to an earlier registration of it",
        LeaseAuthorityFixed = 6134 => "The lease authority is set once and cannot be changed",
        ConfigChangeNotDue = 6135 => "A loosening of the slashing terms applies only one unbonding period after it was queued",
        CoStakeScaleWorn = 6136 => "This device's co-stakes were slashed too far to take new ones until every co-staker has left",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_the_staking_range() {
        assert!(hourglass_core::error::check_error_table(StakingError::SPECS, 6100..=6199));
        assert_eq!(StakingError::BelowMinimumStake.code(), 6103);
    }
}
