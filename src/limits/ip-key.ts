const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The four octets of a dotted IPv4 address; undefined for anything else. */
function ipv4(text: string): number[] | undefined {
  const octets = IPV4.exec(text)?.slice(1).map(Number);
  return octets?.every((o) => o < 256) ? octets : undefined;
}

/** The eight 16-bit groups of an IPv6 address (RFC 4291 §2.2, all three forms); undefined for anything else. */
function ipv6(text: string): number[] | undefined {
  let s = text.replace(/%.*$/, "");
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+(?:\.\d+){3})$/.exec(s);
  if (dotted) {
    const v4 = ipv4(dotted[2]);
    if (!v4) return undefined;
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    s = dotted[1].endsWith("::") ? dotted[1] : dotted[1].slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const parts = halves.map((h) => (h === "" ? [] : h.split(":")));
  if (!parts.flat().every((g) => /^[\da-f]{1,4}$/i.test(g))) return undefined;
  const [head, rest = []] = parts.map((p) => p.map((g) => parseInt(g, 16)));
  const missing = 8 - head.length - rest.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...rest, ...tail];
}

/**
 * The bucket key of an IPv6 client's /48, the site prefix an ISP or tunnel
 * broker assigns (RFC 6177); undefined for IPv4 and for what is no address.
 */
export function siteKey(ip: string | undefined): string | undefined {
  const text = (ip ?? "").trim().toLowerCase();
  const groups = ipv4(text) ? undefined : ipv6(text);
  if (!groups || groups.slice(0, 6).join() === "0,0,0,0,0,65535") return undefined;
  return `${groups.slice(0, 3).map((g) => g.toString(16)).join(":")}::/48`;
}

/**
 * The bucket key of a client IP for per-IP limits. An IPv6 client usually
 * holds a whole /64 (RFC 7421), so it is counted per /64, whatever form the
 * address is written in; IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as its IPv4.
 */
export function ipKey(ip: string | undefined): string {
  const text = (ip ?? "").trim().toLowerCase();
  const v4 = ipv4(text);
  if (v4) return v4.join(".");
  const groups = ipv6(text);
  if (!groups) return text.slice(0, 64) || "unknown";
  if (groups.slice(0, 6).join() === "0,0,0,0,0,65535") {
    return [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join(".");
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}
