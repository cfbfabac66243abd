import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/*
 * Where webhooks may be sent. A subscription's URL is chosen by an administrator but fetched by
 * the server, so without a rule it could reach what only the server reaches (the database's
 * host, a cloud metadata endpoint, the loopback services). Private, loopback, link-local and
 * reserved addresses are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS says otherwise; the
 * check runs when the URL is saved (literal addresses, `localhost`) and again before every
 * request (what the name resolves to then).
 */

const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is one a webhook may not reach by default. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family !== 6) return false;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1]!, 'ipv4');
  return INTERNAL.check(address, 'ipv6');
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Why `url` cannot be a webhook target, or null when it can (names are resolved only at delivery). */
export function webhookUrlProblem(url: string, allowInternal: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `'${url}' is not a URL.`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'A webhook URL must use http or https.';
  if (parsed.username !== '' || parsed.password !== '')
    return 'A webhook URL may not carry credentials; receivers verify the signature instead.';
  if (allowInternal) return null;
  const host = bareHost(parsed.hostname);
  if (host === 'localhost' || host.endsWith('.localhost') || isInternalAddress(host))
    return `'${parsed.hostname}' is a private, loopback or reserved address; webhooks go to public addresses (WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows others).`;
  return null;
}

/** Throws when `url`'s host resolves to an internal address and those are not allowed. */
export async function assertDeliverableTarget(url: string, allowInternal: boolean): Promise<void> {
  const problem = webhookUrlProblem(url, allowInternal);
  if (problem !== null) throw new Error(problem);
  if (allowInternal) return;
  const host = bareHost(new URL(url).hostname);
  if (isIP(host) !== 0) return;
  const addresses = await lookup(host, { all: true });
  const internal = addresses.find((entry) => isInternalAddress(entry.address));
  if (internal) throw new Error(`'${host}' resolves to ${internal.address}, an internal address`);
}
