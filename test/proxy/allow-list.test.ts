import { describe, expect, it } from 'vitest';
import { matchHostPatterns, validateAllowListEntry } from '../../src/proxy/index.js';

const matches = (entry: string, host: string) => matchHostPatterns([entry], host) !== 'none';

describe('allow list matching', () => {
  it('matches exact names case-insensitively and ignores a trailing dot in the entry', () => {
    expect(matchHostPatterns(['api.digitalocean.com'], 'api.digitalocean.com')).toBe('exact');
    expect(matches('API.DigitalOcean.com.', 'api.digitalocean.com')).toBe(true);
    expect(matches('api.digitalocean.com', 'digitalocean.com')).toBe(false);
  });

  it('reads a comma-separated setting and trims entries', () => {
    expect(matchHostPatterns(['forums.rancher.com, api.linode.com'], 'api.linode.com')).toBe('exact');
  });

  it('`*` stands for one or more whole leading labels, never a partial one, never spilling past the end', () => {
    expect(matchHostPatterns(['*.amazonaws.com'], 'ec2.us-west-2.amazonaws.com')).toBe('pattern');
    expect(matches('*.amazonaws.com', 'iam.amazonaws.com')).toBe(true);
    expect(matches('*.amazonaws.com', 'amazonaws.com')).toBe(false);
    expect(matches('*.amazonaws.com', 'x.amazonaws.com.cn')).toBe(false);
    expect(matches('*.amazonaws.com', 'evilamazonaws.com')).toBe(false);
    expect(matches('*amazonaws.com', 'evilamazonaws.com')).toBe(false);
  });

  it('`%` stands for exactly one label', () => {
    expect(matches('ec2.%.amazonaws.com', 'ec2.us-west-2.amazonaws.com')).toBe(true);
    expect(matches('ec2.%.amazonaws.com', 'ec2.a.b.amazonaws.com')).toBe(false);
    expect(matches('ec2.%.amazonaws.com', 'x.ec2.us-west-2.amazonaws.com')).toBe(false);
    expect(matches('ec2.%.amazonaws.com', 'ec2.us-west-2.amazonaws.com.cn')).toBe(false);
    expect(matches('iam.%.amazonaws.com.cn', 'iam.cn-north-1.amazonaws.com.cn')).toBe(true);
    expect(matches('%c2.amazonaws.com', 'ec2.amazonaws.com')).toBe(false);
  });

  it('ignores entries too broad to mean anything, so they admit nothing', () => {
    for (const entry of ['*', '%', '*.com', '%.com', '*.co.uk', '%.%.org', '*.%.com', '*.github.io', 'ec2.%']) {
      expect(
        matches(entry, 'anything.example.com') ||
          matches(entry, 'x.co.uk') ||
          matches(entry, 'a.b.org') ||
          matches(entry, 'me.github.io') ||
          matches(entry, 'ec2.com'),
        entry,
      ).toBe(false);
    }
    expect(matches('*.oraclecloud.com', 'iaas.us-ashburn-1.oraclecloud.com')).toBe(true);
  });

  it('never matches an empty host, and lets no wildcard match an IP address', () => {
    expect(matchHostPatterns(['', ' '], '')).toBe('none');
    expect(matches('*.0.0.1', '127.0.0.1')).toBe(false);
    expect(matches('%.0.0.1', '127.0.0.1')).toBe(false);
  });

  it('compares IP entries by the address they denote', () => {
    expect(matchHostPatterns(['127.0.0.1'], '127.0.0.1')).toBe('exact');
    expect(matchHostPatterns(['0:0:0:0:0:0:0:1'], '::1')).toBe('exact');
    expect(matchHostPatterns(['[::1]'], '::1')).toBe('exact');
  });
});

describe('validateAllowListEntry', () => {
  it('accepts names, IPs and well-formed patterns', () => {
    for (const entry of ['api.linode.com', '127.0.0.1', '::1', '*.amazonaws.com', 'ec2.%.amazonaws.com', '*.%.api.aws']) {
      expect(() => validateAllowListEntry(entry), entry).not.toThrow();
    }
  });

  it.each([
    ['', 'empty'],
    ['*', 'too broad'],
    ['*.co.uk', 'too broad'],
    ['%.%.org', 'too broad'],
    ['*.github.io', 'too broad'],
    ['%c2.amazonaws.com', 'not a DNS label'],
    ['a.*.example.com', 'leading labels'],
    ['https://example.com', 'not a host'],
  ])('refuses %j with 422', (entry, message) => {
    expect(() => validateAllowListEntry(entry)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', status: 422, message: expect.stringContaining(message) }),
    );
  });
});
