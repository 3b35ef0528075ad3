//! Rewards errors: codes 6300..=6399, append-only.

use hourglass_core::error_enum;

error_enum! {
    pub enum RewardsError {
        NotPoolAuthority = 6300 => "Only the pool authority may do this",
        InvalidPoolParams = 6301 => "Hour length must be 1 s to 1 day, the work factor 0 (default) or 10,000 to 50,000 bps, the mint must have at least 2 decimals and its mint authority must be the pool",
        PoolBehind = 6302 => "Crank the pool up to the current hour first",
        PoolPaused = 6303 => "Emissions are paused",
        NothingToEmit = 6304 => "The pool is up to date",
        NotAttester = 6305 => "The signer is not a registered attester",
        MissingEd25519 = 6306 => "record_uptime must follow an Ed25519 signature-verify instruction",
        Ed25519Mismatch = 6307 => "The Ed25519 instruction does not verify exactly these attestations",
        WrongDeviceKey = 6308 => "The attestation is not signed by this device's key",
        WrongProgram = 6309 => "The attestation is for another program",
        UptimeReplayed = 6310 => "These hours are already recorded",
        FutureHour = 6311 => "The attestation covers hours that have not ended",
        BadAttestationData = 6312 => "Attestation data must be 1 to 3 messages of 62 bytes with a DeviceReward, Device and lease account each",
        NotBehind = 6313 => "The device is still eligible: not behind by more than the grace, staked at its minimum, not paused and registered",
        NotNominated = 6314 => "The device is not nominated",
        NotOwner = 6315 => "Only the device's supplier may claim",
        NothingToClaim = 6316 => "Nothing to claim",
        BreakerTripped = 6317 => "The circuit breaker caps what can leave the pool in this window",
        WrongVault = 6318 => "The reward vault is not the pool's",
        AlreadyPaused = 6319 => "The pool is already in that state",
        WrongDevice = 6320 => "The DeviceReward belongs to another device",
        WrongLease = 6321 => "The lease account must be the device's current lease (the system program when it has none)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_the_rewards_range() {
        assert!(hourglass_core::error::check_error_table(RewardsError::SPECS, 6300..=6399));
    }
}
