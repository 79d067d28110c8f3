import { describe, expect, it } from "vitest";
import { ipKey, siteKey } from "./ip-key";

describe("ipKey", () => {
  it.each([
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:0DB8:0001:0002:ffff:0:0:1", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:DB8:1:2::abcd", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:db8:0:0:1::", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["::", "0:0:0:0::/64"],
    ["2001:db8:1:2:3:4:192.0.2.1", "2001:db8:1:2::/64"],
  ])("keys IPv6 %s by its /64", (ip, key) => {
    expect(ipKey(ip)).toBe(key);
  });

  it("keys two addresses of one /64 alike and of neighbouring /64s apart", () => {
    expect(ipKey("2001:db8:a:b:1::1")).toBe(ipKey("2001:db8:a:b:ffff:ffff:ffff:ffff"));
    expect(ipKey("2001:db8:a:b::1")).not.toBe(ipKey("2001:db8:a:c::1"));
  });

  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["192.000.002.001", "192.0.2.1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["::FFFF:C000:0201", "192.0.2.1"],
    ["0:0:0:0:0:ffff:192.0.2.1", "192.0.2.1"],
  ])("keys IPv4 %s (also IPv4-mapped) by the address", (ip, key) => {
    expect(ipKey(ip)).toBe(key);
  });

  it.each([
    [undefined, "unknown"],
    ["", "unknown"],
    ["256.1.1.1", "256.1.1.1"],
    ["1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8:9"],
    ["1::2::3", "1::2::3"],
    ["1::2:3:4:5:6:7:8", "1::2:3:4:5:6:7:8"],
    ["::ffff:300.0.0.1", "::ffff:300.0.0.1"],
    ["x".repeat(100), "x".repeat(64)],
  ])("keys what is no IP address (%s) by its own text, bounded", (ip, key) => {
    expect(ipKey(ip)).toBe(key);
  });
});

describe("siteKey", () => {
  it.each([
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1::/48"],
    ["2001:DB8:1:ffff::1", "2001:db8:1::/48"],
    ["2001:db8::1", "2001:db8:0::/48"],
  ])("keys IPv6 %s by its /48", (ip, key) => {
    expect(siteKey(ip)).toBe(key);
  });
  it.each([undefined, "", "192.0.2.1", "::ffff:192.0.2.1", "not an address"])("has no /48 for %s", (ip) => {
    expect(siteKey(ip)).toBeUndefined();
  });
});
