//! Lease errors: codes 6200..=6299, append-only.

use hourglass_core::error_enum;

error_enum! {
    pub enum LeaseError {
        NotMarketAuthority = 6200 => "Only the market authority may do this",
        InvalidFee = 6201 => "Fees must be at most 10,000 basis points",
        InvalidHourLength = 6202 => "The hour length must be between 1 second and 1 day",
        InvalidGracePeriod = 6203 => "The grace period must be between 0 and 7 days",
        MintNotAccepted = 6204 => "The market does not accept this payment mint",
        InvalidLeaseParams = 6205 => "GPUs, hours, price and devices must be positive, with at most 2,048 devices and no more devices than GPUs",
        NotAttester = 6206 => "The signer is not a registered attester",
        LeaseNotActive = 6207 => "The lease is not active",
        WrongGpuModel = 6208 => "The device has another GPU model than the lease",
        ClusterFull = 6209 => "The device's GPUs would exceed the GPUs booked",
        NoFreeSlot = 6210 => "The lease has no free device slot",
        MissingEd25519 = 6211 => "prove_time must follow an Ed25519 signature-verify instruction",
        Ed25519Mismatch = 6212 => "The Ed25519 instruction does not verify exactly these attestations",
        WrongDeviceKey = 6213 => "The attestation is signed by another key than the slot's device",
        WrongLease = 6214 => "The attestation is for another lease or program",
        ProofReplayed = 6215 => "These hours are already proven or were skipped",
        FutureHour = 6216 => "The attestation covers hours that have not ended or were not booked",
        ProofTooLate = 6217 => "The attestation arrived after the grace period of its first hour",
        BadSlot = 6218 => "No such device slot in this lease",
        SlotNotActive = 6219 => "The device slot is faulted",
        NotRenter = 6220 => "Only the renter may do this",
        LeaseNotEnded = 6221 => "The lease has not ended plus its grace period",
        NotFaulted = 6222 => "The device has not missed more than the grace period",
        NothingToClaim = 6223 => "No unclaimed proven hours",
        WrongSupplier = 6224 => "The token account does not belong to the device's supplier",
        LeaseNotSettled = 6225 => "The lease is not settled",
        LeaseHasClaims = 6226 => "Unclaimed payouts or unreleased devices remain",
        WrongEscrow = 6227 => "The escrow is not this lease's",
        WrongTreasury = 6228 => "The treasury is not the market's for this mint",
        LeaseSettled = 6229 => "The lease is settled",
        NotPausable = 6230 => "The lease still has booked hours to run",
        BadAttestationData = 6231 => "Attestation data must be 1 to 5 entries of 64 bytes",
        AlreadyReleased = 6232 => "The device is already released",
        WrongDevice = 6233 => "The device account is not the slot's device",
        LeaseOverflow = 6234 => "The booked cost does not fit in a u64",
        NothingToBurn = 6235 => "The network fee vault holds no fees to burn",
        NotNetworkMint = 6236 => "Only the network mint's fees are burned (stable fees stay in the stable treasury)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_the_lease_range() {
        assert!(hourglass_core::error::check_error_table(LeaseError::SPECS, 6200..=6299));
    }
}
