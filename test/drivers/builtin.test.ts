import { describe, expect, it } from 'vitest';
import { builtinNodeDrivers } from '../../src/drivers/builtin.js';

describe('built-in node drivers', () => {
  it('ships the drivers Rancher ships, the common ones active', () => {
    const active = builtinNodeDrivers.filter((driver) => driver.active).map((driver) => driver.name);
    expect(active).toEqual(['amazonec2', 'azure', 'digitalocean', 'harvester', 'linode', 'vmwarevsphere']);
    const names = builtinNodeDrivers.map((driver) => driver.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lets the proxy reach each cloud’s API through its domains, with % for the region', () => {
    const aws = builtinNodeDrivers.find((driver) => driver.name === 'amazonec2')!;
    expect(aws.whitelistDomains).toEqual(expect.arrayContaining(['ec2.%.amazonaws.com', 'eks.%.api.aws', 'iam.amazonaws.com']));
    expect(aws.whitelistDomains.some((domain) => domain.startsWith('*'))).toBe(false);
    expect(builtinNodeDrivers.find((driver) => driver.name === 'digitalocean')!.whitelistDomains).toEqual(['api.digitalocean.com']);
  });
});
