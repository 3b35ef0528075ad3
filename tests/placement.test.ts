// The orchestrator's placement index: exact GPU counts from matching devices, fewest regions, price and
// reliability tie-breaks, bandwidth floors, no double booking, nothing reserved on failure, and
// incremental updates.
import { type DeviceInfo, PlacementError, PlacementIndex, reliability } from "@hourglass/orchestrator";
import { expect } from "chai";

let n = 0;
const dev = (p: Partial<DeviceInfo>): DeviceInfo => ({ id: `d${n++}`, model: 1, gpus: 8, region: 840, bandwidthTier: 3, price: 100n, reliability: 1, ...p });

describe("placement index", () => {
  it("places exactly the GPUs asked for, of the right model, in as few regions as possible", () => {
    const ix = new PlacementIndex();
    for (let i = 0; i < 4; i++) ix.upsert(dev({ region: 276 })); // 32 GPUs in DE
    for (let i = 0; i < 2; i++) ix.upsert(dev({ region: 840 })); // 16 in US
    ix.upsert(dev({ region: 250, gpus: 4 }));
    ix.upsert(dev({ model: 2, region: 276 })); // another model
    const placed = ix.place({ model: 1, gpus: 28 });
    expect(placed.reduce((s, d) => s + d.gpus, 0)).to.equal(28);
    expect(placed.every((d) => d.model === 1)).to.equal(true);
    // 3 x 8 from the largest region, then the 4-GPU device: two regions, not three.
    expect(new Set(placed.map((d) => d.region)).size).to.equal(2);
    expect(ix.freeGpus(1)).to.equal(52 - 28);
  });

  it("prefers cheaper, then more reliable devices", () => {
    const ix = new PlacementIndex();
    const cheap = dev({ price: 50n, reliability: 0.5 });
    const reliable = dev({ price: 80n, reliability: 0.99 });
    const flaky = dev({ price: 80n, reliability: 0.6 });
    const dear = dev({ price: 500n });
    for (const d of [dear, flaky, reliable, cheap]) ix.upsert(d);
    expect(ix.place({ model: 1, gpus: 16 }).map((d) => d.id)).to.deep.equal([cheap.id, reliable.id]);
    expect(ix.place({ model: 1, gpus: 8 }).map((d) => d.id)).to.deep.equal([flaky.id]);
  });

  it("re-ranks a device whose proven-hour history changed, free or busy", () => {
    const ix = new PlacementIndex();
    const a = dev({ reliability: reliability(10, 0) });
    const b = dev({ reliability: reliability(5, 0) });
    ix.upsert(a);
    ix.upsert(b);
    ix.update(a.id, { reliability: reliability(10, 1) }); // a fault: 10 / 35 < 5 / 6
    expect(ix.place({ model: 1, gpus: 8 }).map((d) => d.id)).to.deep.equal([b.id]);
    ix.update(b.id, { reliability: 0 }); // busy: stays busy
    expect(ix.freeGpus(1)).to.equal(8);
    expect(ix.place({ model: 1, gpus: 8 }).map((d) => d.id)).to.deep.equal([a.id]);
    expect(() => ix.place({ model: 1, gpus: 8 })).to.throw(PlacementError);
  });

  it("honours the bandwidth floor, region list and slot limit, and never books a device twice", () => {
    const ix = new PlacementIndex();
    const slow = dev({ bandwidthTier: 1 });
    const fast = dev({ bandwidthTier: 5, region: 124 });
    ix.upsert(slow);
    ix.upsert(fast);
    expect(ix.place({ model: 1, gpus: 8, minBandwidthTier: 4 }).map((d) => d.id)).to.deep.equal([fast.id]);
    expect(() => ix.place({ model: 1, gpus: 8, minBandwidthTier: 4 })).to.throw(PlacementError);
    expect(() => ix.place({ model: 1, gpus: 8, regions: [124] })).to.throw(PlacementError);
    const small = new PlacementIndex();
    for (let i = 0; i < 4; i++) small.upsert(dev({ gpus: 1 }));
    expect(() => small.place({ model: 1, gpus: 4, maxDevices: 3 })).to.throw(PlacementError);
    expect(small.place({ model: 1, gpus: 3, maxDevices: 3 })).to.have.length(3);
  });

  it("reserves nothing when it cannot place the whole request", () => {
    const ix = new PlacementIndex();
    for (let i = 0; i < 3; i++) ix.upsert(dev({ gpus: 2 }));
    expect(() => ix.place({ model: 1, gpus: 7 })).to.throw(PlacementError); // odd count from 2-GPU machines
    expect(ix.freeGpus(1)).to.equal(6);
    expect(ix.place({ model: 1, gpus: 6 })).to.have.length(3);
    expect(() => ix.place({ model: 1, gpus: 0 })).to.throw("positive integer");
  });

  it("follows chain events: released devices come back, busy and removed ones do not", () => {
    const ix = new PlacementIndex();
    const a = dev({});
    const b = dev({ price: 1n });
    ix.upsert(a);
    ix.upsert(b);
    ix.markBusy(b.id); // leased through another orchestrator
    expect(ix.place({ model: 1, gpus: 8 }).map((d) => d.id)).to.deep.equal([a.id]);
    ix.release(b.id);
    ix.release(a.id);
    ix.remove(a.id); // deregistered
    expect(ix.freeGpus(1)).to.equal(8);
    expect(ix.place({ model: 1, gpus: 8 }).map((d) => d.id)).to.deep.equal([b.id]);
    // A re-registered device with a new price takes its new place.
    ix.upsert({ ...a, price: 0n });
    ix.release(b.id);
    expect(ix.place({ model: 1, gpus: 8 }).map((d) => d.id)).to.deep.equal([a.id]);
  });
});
