/**
 * The `cidr` modifier: does a field hold an address inside a network? IPv4 and IPv6 (including
 * `::` shorthand and an embedded IPv4 tail), compared as BigInt prefixes.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { UnsupportedRule } from './errors.ts';

function v4ToBig(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBig(ip: string): bigint {
  let text = ip;
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4tail) {
    const n = v4ToBig(v4tail[1]!);
    text = `${text.slice(0, v4tail.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

/** Returns a test for `network` (`10.0.0.0/8`, `fd00::/8`); throws UnsupportedRule if malformed. */
export function cidrTester(network: string): (value: string) => boolean {
  const [addr, prefixText] = network.split('/') as [string, string | undefined];
  const v4 = isIPv4(addr);
  if (!v4 && !isIPv6(addr)) throw new UnsupportedRule(`cidr value "${network}" is not a network`);
  const bits = v4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits)
    throw new UnsupportedRule(`cidr prefix in "${network}"`);
  const shift = BigInt(bits - prefix);
  const base = (v4 ? v4ToBig(addr) : v6ToBig(addr)) >> shift;
  return (value) => {
    if (v4 ? !isIPv4(value) : !isIPv6(value)) return false;
    return (v4 ? v4ToBig(value) : v6ToBig(value)) >> shift === base;
  };
}
