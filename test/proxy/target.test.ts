import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProxyTarget } from '../../src/proxy/index.js';

describe('parseProxyTarget', () => {
  it('defaults to https on 443, and keeps path and query as sent', () => {
    expect(parseProxyTarget('api.linode.com/v4/regions', 'page=2')).toMatchObject({
      protocol: 'https:',
      hostname: 'api.linode.com',
      port: 443,
      host: 'api.linode.com',
      origin: 'https://api.linode.com:443',
      path: '/v4/regions?page=2',
    });
  });

  it('resolves every path as URL’s pathname setter does, plain paths (read without a URL object) included', () => {
    // Pieces that matter to the resolution: dot segments, escapes, what URLs escape, empty segments.
    const piece = fc.constantFrom(
      'a',
      'Z9',
      '.',
      '..',
      '...',
      '.x',
      '%2e',
      '%2E%2e',
      '%41',
      '%',
      '%zz',
      ' ',
      '"',
      '<',
      '`',
      '{',
      '|',
      '\\',
      '~',
      "'",
      ':',
      '@',
      ';',
      '=',
      'é',
      '',
    );
    const path = fc
      .array(
        fc.array(piece, { maxLength: 4 }).map((parts) => parts.join('')),
        { minLength: 1, maxLength: 6 },
      )
      .map((segments) => `/${segments.join('/')}`);
    fc.assert(
      fc.property(path, (rawPath) => {
        const viaUrl = new URL('https://placeholder');
        viaUrl.pathname = rawPath;
        let expected = viaUrl.pathname;
        if (!/^[\x21-\x7e]*$/.test(expected)) expected = 'refused';
        let actual: string;
        try {
          actual = parseProxyTarget(`example.com${rawPath}`).path;
        } catch {
          actual = 'refused';
        }
        expect(actual).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('sends an empty path as / and keeps a trailing slash', () => {
    expect(parseProxyTarget('api.linode.com').path).toBe('/');
    expect(parseProxyTarget('api.linode.com/v4/regions/').path).toBe('/v4/regions/');
  });

  it('accepts http:/ and https:/ with one slash, and with two', () => {
    expect(parseProxyTarget('http:/registry.example.com:5000/v2/_catalog')).toMatchObject({
      protocol: 'http:',
      port: 5000,
      host: 'registry.example.com:5000',
      path: '/v2/_catalog',
    });
    expect(parseProxyTarget('https:/ec2.us-west-2.amazonaws.com/')).toMatchObject({ protocol: 'https:', hostname: 'ec2.us-west-2.amazonaws.com', port: 443 });
    expect(parseProxyTarget('http://example.com/x')).toMatchObject({ protocol: 'http:', hostname: 'example.com', port: 80, path: '/x' });
  });

  it('keeps percent-encoding in path and query byte for byte', () => {
    expect(parseProxyTarget('example.com/a%2Fb/%E2%9C%93', 'x=%20&y=a%2Bb&z').path).toBe('/a%2Fb/%E2%9C%93?x=%20&y=a%2Bb&z');
  });

  it('never lets the path change the host', () => {
    expect(parseProxyTarget('allowed.com/../evil.com/x')).toMatchObject({ hostname: 'allowed.com', path: '/evil.com/x' });
    expect(parseProxyTarget('allowed.com/%2e%2e/%2e%2e/etc')).toMatchObject({ hostname: 'allowed.com', path: '/etc' });
    expect(parseProxyTarget('allowed.com//evil.com/x')).toMatchObject({ hostname: 'allowed.com', path: '//evil.com/x' });
    expect(parseProxyTarget('allowed.com/\\\\evil.com/x')).toMatchObject({ hostname: 'allowed.com' });
  });

  it('lowercases the host, drops a trailing dot, and reads IPv6 and alternate IPv4 spellings', () => {
    expect(parseProxyTarget('API.Linode.COM./x').hostname).toBe('api.linode.com');
    expect(parseProxyTarget('[::1]:8080/').hostname).toBe('::1');
    expect(parseProxyTarget('[::1]:8080/').host).toBe('[::1]:8080');
    for (const spelling of ['2130706433', '0x7f000001', '0177.0.0.1', '0x7f.1', '[::ffff:127.0.0.1]']) {
      expect(parseProxyTarget(`${spelling}/`).hostname).toBe('127.0.0.1');
    }
  });

  it.each([
    ['', 'no target host'],
    ['/x', 'no target host'],
    [':443/x', 'no target host'],
    ['api.linode.com:abc/', 'cannot be parsed'],
    ['api.linode.com:70000/', 'out of range'],
    ['user:pw@api.linode.com/', 'credentials'],
    ['api.linode.com%2Fv4', 'cannot be parsed'],
    ['https:///host/x', 'cannot be parsed'],
    ['HTTPS:/', 'no target host'],
  ])('refuses %j with 400', (path, message) => {
    expect(() => parseProxyTarget(path)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringContaining(message) }));
  });
});
