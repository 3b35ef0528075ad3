// A renter's signed requests (Sign-In-With-Solana style): accepted for the right domain, lease, action
// and spec while fresh, once; refused with a clear status otherwise (issue 14's renter authentication).
import { RenterAuthBook, RenterAuthRefused, type RenterAuthWire, renterMessage, signRenterRequest } from "@hourglass/client";
import { ed25519 } from "@noble/curves/ed25519";
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";

const NOW = 1_800_000_000;
const DOMAIN = "orchestrator.example:7070";

describe("renter request signatures", () => {
  const renter = Keypair.generate();
  const lease = Keypair.generate().publicKey;
  const spec = new Uint8Array(32).fill(9);
  let n = 0;
  const request = (over: Partial<Parameters<typeof signRenterRequest>[1]> = {}, key = renter) =>
    signRenterRequest(key, {
      domain: DOMAIN,
      lease,
      action: "deliver",
      specHash: spec,
      nonce: `nonce${(++n).toString().padStart(4, "0")}`,
      issuedAt: NOW,
      expiresAt: NOW + 300,
      ...over,
    });
  const refused = (book: RenterAuthBook, wire: unknown, status: number, message: RegExp, expect_ = { lease, action: "deliver" as const, specHash: spec }) => {
    try {
      book.verify(wire, NOW + 1, expect_);
    } catch (e) {
      expect(e).to.be.instanceOf(RenterAuthRefused);
      expect((e as RenterAuthRefused).status, (e as Error).message).to.equal(status);
      expect((e as Error).message).to.match(message);
      return;
    }
    expect.fail("accepted");
  };

  it("accepts a fresh request signed by the renter, once; the message reads as Sign-In-With-Solana", () => {
    const book = new RenterAuthBook(DOMAIN);
    const wire = request();
    expect(wire.message.split("\n")[0]).to.equal(`${DOMAIN} wants you to sign in with your Solana account:`);
    const r = book.verify(wire, NOW + 1, { lease, action: "deliver", specHash: spec });
    expect(r.renter.equals(renter.publicKey)).to.equal(true);
    expect(Buffer.from(r.specHash!).equals(Buffer.from(spec))).to.equal(true);
    refused(book, wire, 409, /replayed/);
  });

  it("a browser wallet's signMessage over the same text verifies the same", () => {
    const book = new RenterAuthBook(DOMAIN);
    const message = renterMessage({
      domain: DOMAIN,
      renter: renter.publicKey,
      lease,
      action: "logs",
      specHash: null,
      nonce: "walletnonce1",
      issuedAt: NOW,
      expiresAt: NOW + 60,
    });
    const signature = Buffer.from(ed25519.sign(new TextEncoder().encode(message), renter.secretKey.slice(0, 32))).toString("base64");
    expect(book.verify({ message, signature }, NOW, { lease, action: "logs" }).action).to.equal("logs");
  });

  it("refuses another key's signature, a changed message, another domain, an expired or future one, and a too long lifetime", () => {
    const book = new RenterAuthBook(DOMAIN);
    const forged: RenterAuthWire = { ...request(), signature: request({}, Keypair.generate()).signature };
    refused(book, forged, 401, /does not verify/);
    const changed = request();
    refused(book, { ...changed, message: changed.message.replace("Action: deliver", "Action: logs") }, 401, /does not verify/);
    refused(book, request({ domain: "evil.example" }), 401, /not orchestrator\.example/);
    refused(book, request({ issuedAt: NOW - 300, expiresAt: NOW }), 401, /expired/);
    refused(book, request({ issuedAt: NOW + 120, expiresAt: NOW + 180 }), 401, /future/);
    refused(book, request({ expiresAt: NOW + 3600 }), 400, /expire within 600 s/);
    refused(book, null, 401, /required/);
    refused(book, { message: "hello", signature: "AAAA" }, 400, /not an Hourglass renter request/);
  });

  it("refuses a request for another lease, action or spec with 403", () => {
    const book = new RenterAuthBook(DOMAIN);
    refused(book, request({ lease: Keypair.generate().publicKey }), 403, /for lease/);
    refused(book, request({ action: "logs" }), 403, /asks to logs, not to deliver/);
    refused(book, request({ specHash: new Uint8Array(32) }), 403, /signs spec 0{64}, not/);
    refused(book, request({ specHash: null }), 403, /signs spec -/);
  });
});
