import { describe, expect, it } from 'vitest';
import { registrationCommands, type RegistrationCommandInputs } from '../../src/services/registration-commands.js';

const inputs: RegistrationCommandInputs = {
  token: 'tkn',
  clusterId: 'c-abcde',
  serverUrl: 'https://rancher.example.com',
  caCerts: '',
  agentImage: 'rancher/rancher-agent:v2.10.1',
  provisioned: false,
  agentEnvVars: [],
};

/** SHA-256 of `abc\n`: the checksum agents compute of a CA whose PEM is `abc`, with or without its last newline. */
const abcChecksum = 'edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb';

describe('registration commands', () => {
  it('check a private CA by the SHA-256 of its PEM, ending in one newline, in every node command', () => {
    for (const caCerts of ['abc', 'abc\n']) {
      const commands = registrationCommands({ ...inputs, caCerts, provisioned: true });
      expect(commands.nodeCommand).toMatch(new RegExp(` --token tkn --ca-checksum ${abcChecksum}$`));
      expect(commands.insecureNodeCommand).toMatch(new RegExp(` --token tkn --ca-checksum ${abcChecksum}$`));
      expect(commands.windowsNodeCommand).toContain(`--token tkn --ca-checksum ${abcChecksum} | iex}"`);
    }
    expect(registrationCommands(inputs).nodeCommand).not.toContain('--ca-checksum');
  });

  it('pass the cluster’s agent variables that have a value: to Docker as -e, to the installer in the shell’s form', () => {
    const agentEnvVars = [
      { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
      { name: 'EMPTY', value: '' },
      { name: 'NONE', value: null },
    ];
    expect(registrationCommands({ ...inputs, agentEnvVars }).nodeCommand).toContain(
      ' -v /var/run:/var/run -e "HTTPS_PROXY=http://proxy:3128" rancher/rancher-agent:v2.10.1 --server',
    );
    expect(registrationCommands({ ...inputs, agentEnvVars, provisioned: true }).nodeCommand).toBe(
      'curl -fL https://rancher.example.com/system-agent-install.sh | HTTPS_PROXY="http://proxy:3128" sh -s - --server https://rancher.example.com --token tkn',
    );
  });

  it('address the server by the origin of its URL, without a trailing slash or a path', () => {
    for (const serverUrl of ['https://rancher.example.com/', 'https://rancher.example.com/dashboard/']) {
      expect(registrationCommands({ ...inputs, serverUrl }).manifestUrl).toBe('https://rancher.example.com/v3/import/tkn_c-abcde.yaml');
    }
  });
});
