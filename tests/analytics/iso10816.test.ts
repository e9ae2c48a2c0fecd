import { describe, expect, it } from "vitest";
import { isoZone, worstZone, zoneBoundaries } from "../../agent/analytics/iso10816.js";

describe("ISO 10816-3 zones", () => {
  it("group 2 rigid has boundaries 1.4 / 2.8 / 4.5 mm/s", () => {
    expect(zoneBoundaries(2, "rigid")).toEqual([1.4, 2.8, 4.5]);
    expect(isoZone(1.39, 2, "rigid")).toBe("A");
    expect(isoZone(1.4, 2, "rigid")).toBe("B");
    expect(isoZone(2.79, 2, "rigid")).toBe("B");
    expect(isoZone(2.8, 2, "rigid")).toBe("C");
    expect(isoZone(4.49, 2, "rigid")).toBe("C");
    expect(isoZone(4.5, 2, "rigid")).toBe("D");
  });

  it("uses the table of the machine group and foundation", () => {
    expect(zoneBoundaries(2, "flexible")).toEqual([2.3, 4.5, 7.1]);
    expect(zoneBoundaries(1, "rigid")).toEqual([2.3, 4.5, 7.1]);
    expect(zoneBoundaries(1, "flexible")).toEqual([3.5, 7.1, 11.0]);
    expect(isoZone(3.0, 1, "rigid")).toBe("B");
    expect(isoZone(3.0, 2, "rigid")).toBe("C");
  });

  it("the worst zone of several axes wins", () => {
    expect(worstZone(["A", "C", "B"])).toBe("C");
    expect(worstZone([])).toBe("A");
  });
});
