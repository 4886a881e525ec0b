import { isPublicAddress, literalAddress } from './public-address.js';

describe('public addresses, the only ones a connection may make Concord call', () => {
  it('takes public IPv4 and IPv6 addresses', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '2a00:1450:4001:80b::200e', '2606:4700:4700::1111', '[2606:4700:4700::1111]', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) {
      expect([address, isPublicAddress(address)]).toEqual([address, true]);
    }
  });

  it('refuses loopback, private, link-local, CGNAT, unique-local, multicast, unspecified and reserved addresses', () => {
    for (const address of [
      '127.0.0.1', '127.255.255.254', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1',
      '169.254.169.254', '100.64.0.1', '100.127.255.255', '0.0.0.0', '0.1.2.3', '224.0.0.1', '239.255.255.250', '255.255.255.255', '240.0.0.1',
      '192.0.2.1', '198.18.0.1', '203.0.113.9',
      '::1', '::', '[::1]', 'fc00::1', 'fd12:3456:789a::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '2001:db8::1', '2001:0:4136:e378::1',
    ]) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
  });

  it('judges IPv6 forms that carry an IPv4 address by that address', () => {
    for (const address of ['::ffff:127.0.0.1', '::ffff:7f00:1', '[::ffff:7f00:1]', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '::127.0.0.1', '::a00:1', '64:ff9b::a9fe:a9fe', '64:ff9b::127.0.0.1', '2002:7f00:1::1', '2002:c0a8:101::']) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
  });

  it('refuses what is not an address', () => {
    for (const text of ['', 'localhost', 'example.com', '127.1', '0x7f000001', '2130706433', '1.2.3.4.5', ':::1']) {
      expect([text, isPublicAddress(text)]).toEqual([text, false]);
    }
  });

  it('tells an IP literal hostname from a name', () => {
    expect(literalAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(literalAddress('[::1]')).toBe('::1');
    expect(literalAddress('acme.bitrix24.com')).toBeUndefined();
    expect(literalAddress('localhost')).toBeUndefined();
  });
});
