import {
  chunkChecksum,
  crc32,
  decodeDraftBody,
  DEFAULT_MAX_CHUNK_CHARS,
  DraftCodecError,
  encodeDraftBody,
  fromBase64,
  toBase64,
} from "../../../TerritoryMapControl/domain/drafts/codec";
import { bigDraft, guids, territory, triples } from "./builders";

const body = (d: ReturnType<typeof bigDraft>) => ({ territories: d.territories, assignments: d.assignments });

function codecError(fn: () => unknown): DraftCodecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DraftCodecError) return e;
    throw e;
  }
  throw new Error("expected a DraftCodecError");
}

describe("draft body codec", () => {
  describe("100,000 accounts, 50 territories", () => {
    const draft = bigDraft(100_000, 50);
    const encoded = encodeDraftBody(body(draft));

    it("fits in 2 chunks, each within the memo limit", () => {
      expect(encoded.chunks).toHaveLength(2);
      for (const c of encoded.chunks) expect(c.payload.length).toBeLessThanOrEqual(DEFAULT_MAX_CHUNK_CHARS);
      expect(encoded.chunks.map((c) => [c.index, c.count])).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect(encoded.accountCount).toBe(100_000);
    });

    it("round-trips every assignment, lock and territory", () => {
      const decoded = decodeDraftBody(encoded.chunks, { chunkCount: 2, accountCount: 100_000 });
      expect(decoded.territories).toEqual(draft.territories);
      expect(triples(decoded)).toEqual(triples(draft));
    });

    it("decodes chunks given in any order", () => {
      const decoded = decodeDraftBody([...encoded.chunks].reverse());
      expect(decoded.assignments.accountIds).toHaveLength(100_000);
    });
  });

  it("is deterministic: the same draft in another account order gives the same chunks", () => {
    const d = bigDraft(5_000, 7);
    const a = encodeDraftBody(body(d));
    const perm = d.assignments.accountIds.map((_, i) => i).reverse();
    const shuffled = {
      territories: d.territories,
      assignments: {
        accountIds: perm.map((i) => d.assignments.accountIds[i]),
        territory: Int32Array.from(perm, (i) => d.assignments.territory[i]),
        locked: Uint8Array.from(perm, (i) => d.assignments.locked[i]),
      },
    };
    expect(encodeDraftBody(shuffled).chunks).toEqual(a.chunks);
  });

  it("never makes a chunk longer than maxChunkChars", () => {
    const enc = encodeDraftBody(body(bigDraft(3_000, 5)), { maxChunkChars: 10_000 });
    expect(enc.chunks.length).toBe(Math.ceil(enc.totalChars / 10_000));
    for (const c of enc.chunks) expect(c.payload.length).toBeLessThanOrEqual(10_000);
    expect(triples(decodeDraftBody(enc.chunks))).toEqual(triples(bigDraft(3_000, 5)));
  });

  it("round-trips an empty draft (one chunk)", () => {
    const enc = encodeDraftBody({
      territories: [],
      assignments: { accountIds: [], territory: new Int32Array(0), locked: new Uint8Array(0) },
    });
    expect(enc.chunks).toHaveLength(1);
    expect(decodeDraftBody(enc.chunks).assignments.accountIds).toEqual([]);
  });

  it("keeps unicode names, null geometry and locked territories", () => {
    const territories = [territory(0, { name: "Zürich – Nord 🗺", geometry: null, locked: true, repId: guids(1, 3)[0] })];
    const ids = guids(3, 9);
    const enc = encodeDraftBody({
      territories,
      assignments: { accountIds: ids, territory: Int32Array.from([0, -1, 0]), locked: Uint8Array.from([0, 0, 1]) },
    });
    expect(decodeDraftBody(enc.chunks).territories).toEqual(territories);
  });

  describe("detects damage", () => {
    const enc = encodeDraftBody(body(bigDraft(20_000, 10)), { maxChunkChars: 100_000 });

    it("a missing chunk", () => {
      const e = codecError(() => decodeDraftBody(enc.chunks.filter((c) => c.index !== 1)));
      expect(e.kind).toBe("missing-chunk");
      expect(e.message).toBe(`The draft is incomplete: chunk 2 of ${enc.chunks.length} is missing.`);
    });

    it("no chunks at all", () => {
      expect(codecError(() => decodeDraftBody([])).message).toBe("The draft's account assignments are missing (no stored chunks).");
    });

    it("a changed character (chunk checksum)", () => {
      const damaged = enc.chunks.map((c) =>
        c.index === 0
          ? { ...c, payload: (c.payload[10] === "A" ? "B" : "A").padStart(11, c.payload.slice(0, 10)) + c.payload.slice(11) }
          : c,
      );
      const e = codecError(() => decodeDraftBody(damaged));
      expect(e.kind).toBe("checksum");
      expect(e.message).toBe(`The draft is damaged: chunk 1 of ${enc.chunks.length} does not match its checksum.`);
    });

    it("a changed character without chunk checksums (body checksum or inflate failure)", () => {
      const damaged = enc.chunks.map((c) => ({
        ...c,
        checksum: null,
        payload: c.index === 0 ? c.payload.slice(0, 500) + (c.payload[500] === "Q" ? "R" : "Q") + c.payload.slice(501) : c.payload,
      }));
      expect(["checksum", "corrupt"]).toContain(codecError(() => decodeDraftBody(damaged)).kind);
    });

    it("a chunk count that disagrees with the plan", () => {
      expect(codecError(() => decodeDraftBody(enc.chunks, { chunkCount: enc.chunks.length + 1 })).kind).toBe("chunk-count");
    });

    it("an account count that disagrees with the plan", () => {
      const e = codecError(() => decodeDraftBody(enc.chunks, { accountCount: 19_999 }));
      expect(e.kind).toBe("account-count");
      expect(e.message).toBe("The draft should hold 19999 accounts but its stored assignments hold 20000.");
    });

    it("a chunk stored twice", () => {
      expect(codecError(() => decodeDraftBody([...enc.chunks, enc.chunks[0]])).message).toBe(
        `Chunk 1 of ${enc.chunks.length} is stored twice.`,
      );
    });

    it("text that is not base64", () => {
      expect(codecError(() => decodeDraftBody([{ index: 0, count: 1, payload: "not base64!" + "x" }])).kind).toBe("corrupt");
    });
  });

  describe("rejects drafts it cannot store", () => {
    const ids = guids(2, 4);
    it("duplicate accounts", () => {
      expect(
        codecError(() =>
          encodeDraftBody({
            territories: [territory(0)],
            assignments: { accountIds: [ids[0], ids[0]], territory: Int32Array.from([0, 0]), locked: new Uint8Array(2) },
          }),
        ).message,
      ).toBe(`Account ${ids[0]} is assigned twice.`);
    });
    it("territory index out of range", () => {
      expect(
        codecError(() =>
          encodeDraftBody({
            territories: [territory(0)],
            assignments: { accountIds: ids, territory: Int32Array.from([0, 1]), locked: new Uint8Array(2) },
          }),
        ).message,
      ).toBe(`Account ${ids[1]} points at territory 1, but the draft has 1.`);
    });
    it("ids that are not lower-case GUIDs", () => {
      expect(
        codecError(() =>
          encodeDraftBody({
            territories: [],
            assignments: { accountIds: ["ABC"], territory: Int32Array.from([-1]), locked: new Uint8Array(1) },
          }),
        ).kind,
      ).toBe("invalid-input");
    });
  });

  it("base64 and CRC-32 agree with the standard", () => {
    const bytes = new TextEncoder().encode("123456789");
    expect(crc32(bytes)).toBe(0xcbf43926);
    for (const s of ["", "f", "fo", "foo", "foob", "fooba", "foobar"]) {
      const b = new TextEncoder().encode(s);
      expect(toBase64(b)).toBe(Buffer.from(s).toString("base64"));
      expect(Array.from(fromBase64(toBase64(b)))).toEqual(Array.from(b));
    }
    expect(chunkChecksum("abc")).toBe(`crc32:${(0x352441c2).toString(16)}`);
  });
});
