// `hourglass lease ...` for renters: open, extend, terminate, status.

import { LeaseStatus, LeasesClient, marketPda, readKeypair, SlotStatus } from "@hourglass/client";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { type Parsed, UsageError } from "./args.ts";
import { context, out, send } from "./context.ts";

const STATUS = Object.fromEntries(Object.entries(LeaseStatus).map(([k, v]) => [v, k.toLowerCase()]));

export async function lease(p: Parsed) {
  const { json, url, conn, keypairFile, txOpts } = context(p);
  const leases = new LeasesClient();
  const market = async () => {
    const info = await conn.getAccountInfo(marketPda()[0]);
    if (!info) throw new Error(`no Hourglass lease Market at ${marketPda()[0].toBase58()} on ${url}`);
    return leases.program.coder.accounts.decode("market", info.data) as {
      networkMint: PublicKey;
      stableMint: PublicKey;
      networkTreasury: PublicKey;
      stableTreasury: PublicKey;
    };
  };
  const load = async (address: PublicKey) => {
    const info = await conn.getAccountInfo(address);
    if (!info?.owner.equals(leases.programId)) throw new Error(`no Hourglass lease at ${address.toBase58()}`);
    return leases.decodeLease(info.data);
  };

  switch (p.command) {
    case "open": {
      const renter = readKeypair(keypairFile);
      const gpuModel = p.intRequired("gpu-model", 0, 65_535);
      const gpus = p.intRequired("gpus", 1, 1_000_000);
      const hours = p.intRequired("hours", 1, 24 * 366);
      const price = p.amount("price");
      const maxDevices = p.int("max-devices", 1, 120) ?? Math.min(gpus, 120);
      const stable = p.flag("stable");
      const from = p.opt("from") ? p.pubkey("from") : undefined;
      p.done();
      const m = await market();
      const mint = stable ? m.stableMint : m.networkMint;
      const lease = Keypair.generate();
      const escrow = Keypair.generate();
      const ixs = await leases.openLease({
        renter: renter.publicKey,
        lease: lease.publicKey,
        escrow: escrow.publicKey,
        paymentMint: mint,
        renterTokens: from ?? getAssociatedTokenAddressSync(mint, renter.publicKey),
        treasury: stable ? m.stableTreasury : m.networkTreasury,
        gpuModel,
        gpuCount: gpus,
        hours,
        pricePerGpuHour: price,
        maxDevices,
        leaseRentLamports: await conn.getMinimumBalanceForRentExemption(leases.leaseSize(maxDevices)),
      });
      const signature = await send(conn, [renter, lease, escrow], ixs, txOpts);
      out(
        json,
        { command: "open", lease: lease.publicKey.toBase58(), escrow: escrow.publicKey.toBase58(), gpus, hours, pricePerGpuHour: price.toString(), signature },
        `opened lease ${lease.publicKey.toBase58()}: ${gpus} GPUs (model ${gpuModel}) for ${hours} h at ${price} per GPU-hour (tx ${signature})`,
      );
      return;
    }
    case "extend": {
      const renter = readKeypair(keypairFile);
      const address = p.pubkey("lease");
      const hours = p.intRequired("hours", 1, 24 * 366);
      const from = p.opt("from") ? p.pubkey("from") : undefined;
      p.done();
      const { lease: l } = await load(address);
      const signature = await send(
        conn,
        [renter],
        [
          await leases.extend({
            renter: renter.publicKey,
            lease: address,
            escrow: l.escrow,
            renterTokens: from ?? getAssociatedTokenAddressSync(l.paymentMint, renter.publicKey),
            treasury: l.treasury,
            hours,
          }),
        ],
        txOpts,
      );
      out(json, { command: "extend", lease: address.toBase58(), hours, signature }, `extended ${address.toBase58()} by ${hours} h (tx ${signature})`);
      return;
    }
    case "terminate": {
      const renter = readKeypair(keypairFile);
      const address = p.pubkey("lease");
      const to = p.opt("to") ? p.pubkey("to") : undefined;
      p.done();
      const { lease: l } = await load(address);
      const signature = await send(
        conn,
        [renter],
        [
          await leases.terminate({
            renter: renter.publicKey,
            lease: address,
            escrow: l.escrow,
            renterTokens: to ?? getAssociatedTokenAddressSync(l.paymentMint, renter.publicKey),
          }),
        ],
        txOpts,
      );
      const after = await load(address);
      out(
        json,
        { command: "terminate", lease: address.toBase58(), hoursBooked: after.lease.hoursBooked, signature },
        `terminated ${address.toBase58()} after ${after.lease.hoursBooked} h (tx ${signature})`,
      );
      return;
    }
    case "status": {
      const address = p.pubkey("lease");
      p.done();
      const { lease: l, slots } = await load(address);
      const data = {
        lease: address.toBase58(),
        renter: l.renter.toBase58(),
        status: STATUS[l.status] ?? `unknown(${l.status})`,
        paymentMint: l.paymentMint.toBase58(),
        gpuModel: l.gpuModel,
        gpuCount: l.gpuCount,
        assignedGpus: l.assignedGpus,
        hoursBooked: l.hoursBooked,
        pricePerGpuHour: l.pricePerGpuHour.toString(),
        principal: l.principal.toString(),
        earned: l.earnedTotal.toString(),
        claimed: l.claimedTotal.toString(),
        refunded: l.refunded.toString(),
        devices: slots.map((s) => ({
          device: s.device.toBase58(),
          gpus: s.gpus,
          status: s.status === SlotStatus.Faulted ? "faulted" : "active",
          provenHours: s.provenHours,
          nextHour: s.nextHour,
        })),
      };
      const human = [
        `lease      ${data.lease} (${data.status})`,
        `renter     ${data.renter}`,
        `booking    ${data.gpuCount} GPUs of model ${data.gpuModel} for ${data.hoursBooked} h at ${data.pricePerGpuHour} per GPU-hour`,
        `escrow     principal ${data.principal}, earned ${data.earned}, claimed ${data.claimed}, refunded ${data.refunded}`,
        `devices    ${data.devices.length} (${data.assignedGpus} GPUs)`,
        ...data.devices.map((d) => `  ${d.device}  x${d.gpus}  ${d.status}  ${d.provenHours} h proven`),
      ].join("\n");
      out(json, data, human);
      return;
    }
    default:
      throw new UsageError(`unknown lease command ${JSON.stringify(p.command)}`);
  }
}
