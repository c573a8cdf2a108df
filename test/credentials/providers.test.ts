import { describe, expect, it } from 'vitest';
import { credentialProvider, credentialProviders } from '../../src/credentials/providers.js';
import { validateAllowListEntry } from '../../src/proxy/allow-list.js';

describe('cloud-credential providers', () => {
  it('declares at least the providers Rancher users rely on, each with a secret field', () => {
    const names = credentialProviders.map((provider) => provider.name);
    expect(names).toEqual(expect.arrayContaining(['amazonec2', 'digitalocean', 'azure', 'google', 'vmwarevsphere', 'linode', 'harvester', 'generic']));
    expect(new Set(names).size).toBe(names.length);
    for (const provider of credentialProviders) {
      expect(
        provider.fields.some((field) => field.secret),
        provider.name,
      ).toBe(true);
      const fieldNames = provider.fields.map((field) => field.name);
      expect(new Set(fieldNames).size, provider.name).toBe(fieldNames.length);
    }
  });

  it('keeps the field names the proxy signers read', () => {
    const amazon = credentialProvider('amazonec2')!;
    expect(amazon.fields.filter((field) => field.secret).map((field) => field.name)).toEqual(['secretKey']);
    expect(amazon.fields.map((field) => field.name)).toContain('accessKey');
    expect(credentialProvider('digitalocean')!.fields.map((field) => field.name)).toEqual(['accessToken']);
  });

  it('binds secrets to the provider’s own API hosts by default', () => {
    expect(credentialProvider('amazonec2')!.defaultAllowedHosts({})).toEqual(['*.amazonaws.com', '*.amazonaws.com.cn', '*.api.aws']);
    expect(credentialProvider('linode')!.defaultAllowedHosts({})).toEqual(['api.linode.com']);
    expect(credentialProvider('vmwarevsphere')!.defaultAllowedHosts({ vcenter: 'vc.example.internal' })).toEqual(['vc.example.internal']);
    expect(credentialProvider('generic')!.defaultAllowedHosts({ endpoint: 'https://api.example.com:8443/v1' })).toEqual(['api.example.com']);
    expect(credentialProvider('generic')!.defaultAllowedHosts({})).toEqual([]);
    const kubeconfig = 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://harvester.example.com:6443\n  name: local\n';
    expect(credentialProvider('harvester')!.defaultAllowedHosts({ kubeconfigContent: kubeconfig })).toEqual(['harvester.example.com']);
  });

  it('declares only defaults the allow list accepts (a too-broad pattern would never sign)', () => {
    for (const provider of credentialProviders) {
      for (const host of provider.defaultAllowedHosts({ vcenter: 'vc.example.com', endpoint: 'https://api.example.com' })) {
        expect(() => validateAllowListEntry(host), `${provider.name}: ${host}`).not.toThrow();
      }
    }
  });
});
