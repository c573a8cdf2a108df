import { createHash } from 'node:crypto';
import type { EnvVar } from './cluster-spec.js';

/** What a cluster registration token's commands are made from. */
export interface RegistrationCommandInputs {
  token: string;
  clusterId: string;
  /** The `server-url` setting, or the URL the caller reached this server by when it is empty. */
  serverUrl: string;
  /** The `cacerts` setting: the PEM CA that signs this server's certificate; empty for a public CA. */
  caCerts: string;
  /** The agent image, its registry in front when one is set. */
  agentImage: string;
  /** RKE2 and K3s clusters register their nodes through the system agent's installer, others run the agent in Docker. */
  provisioned: boolean;
  /** The cluster's `agentEnvVars`: those with a value are passed to the agent. */
  agentEnvVars: readonly EnvVar[];
}

/** The fields Rancher's API writes onto a registration token from its secret (management `clusterRegistrationToken`). */
export interface RegistrationCommands {
  manifestUrl: string;
  /** Applies the cluster agent's manifest: imports an existing cluster. */
  command: string;
  /** The same, trusting any certificate this server shows. */
  insecureCommand: string;
  /** Registers a Linux node. */
  nodeCommand: string;
  /** The same, trusting any certificate (RKE2/K3s; empty for others, as in Rancher). */
  insecureNodeCommand: string;
  /** Registers a Windows node. */
  windowsNodeCommand: string;
  /** Rancher writes none: always empty. */
  insecureWindowsNodeCommand: string;
}

/**
 * The commands Rancher shows for a registration token, in Rancher's formats: scripts and
 * Terraform's rancher2 provider (`cluster_registration_token[0].command`) read them, and
 * Terraform waits until `command` and `nodeCommand` are set.
 *
 * The server in them is the `server-url` setting's scheme, host and port (Rancher drops its
 * path), and with a private CA, `--ca-checksum` carries the SHA-256 of the `cacerts`
 * setting, newline-terminated as agents read it.
 */
export function registrationCommands(inputs: RegistrationCommandInputs): RegistrationCommands {
  const root = serverRoot(inputs.serverUrl);
  const manifestUrl = `${root}/v3/import/${inputs.token}_${inputs.clusterId}.yaml`;
  const checksum = inputs.caCerts ? ` --ca-checksum ${caChecksum(inputs.caCerts)}` : '';
  const registration = `--server ${root} --token ${inputs.token}${checksum}`;
  const withValues = inputs.agentEnvVars.filter((variable) => variable.value);
  const installer = `${root}/system-agent-install.sh`;
  // The installer is piped into sh, so variables go before it in the shell's own form.
  const shellVariables = withValues.map(({ name, value }) => `${name}="${value}" `).join('');
  const dockerVariables = withValues.map(({ name, value }) => `-e "${name}=${value}" `).join('');
  return {
    manifestUrl,
    command: `kubectl apply -f ${manifestUrl}`,
    insecureCommand: `curl --insecure -sfL ${manifestUrl} | kubectl apply -f -`,
    nodeCommand: inputs.provisioned
      ? `curl -fL ${installer} | ${shellVariables}sh -s - ${registration}`
      : `sudo docker run -d --privileged --restart=unless-stopped --net=host -v /etc/kubernetes:/etc/kubernetes -v /var/run:/var/run ${dockerVariables}${inputs.agentImage} ${registration}`,
    insecureNodeCommand: inputs.provisioned ? `curl --insecure -fL ${installer} | ${shellVariables}sh -s - ${registration}` : '',
    windowsNodeCommand: `PowerShell -NoLogo -NonInteractive -Command "& {docker run -v c:\\:c:\\host ${inputs.agentImage} bootstrap ${registration} | iex}"`,
    insecureWindowsNodeCommand: '',
  };
}

/** `https://rancher.example.com:8443` of any URL of the server: Rancher keeps the scheme, host and port. */
function serverRoot(serverUrl: string): string {
  try {
    return new URL(serverUrl).origin;
  } catch {
    return serverUrl.replace(/\/+$/, '');
  }
}

/** The agents' check of this server's CA: SHA-256 of the PEM text, ending in one newline. */
function caChecksum(caCerts: string): string {
  return createHash('sha256')
    .update(caCerts.endsWith('\n') ? caCerts : `${caCerts}\n`)
    .digest('hex');
}
