/**
 * Service and signing region of an AWS endpoint host, passed to aws4 explicitly because
 * its own guess is wrong for GovCloud (`us-gov`) and knows nothing of `*.api.aws`.
 *
 *   ec2.us-west-2.amazonaws.com        → ec2 / us-west-2
 *   ec2.us-west-2.api.aws              → ec2 / us-west-2   (dual-stack)
 *   iam.amazonaws.com, iam.global.api.aws → iam / us-east-1 (global service)
 *   iam.us-gov.amazonaws.com           → iam / us-gov-west-1
 *   iam.cn-north-1.amazonaws.com.cn    → iam / cn-north-1
 */
export function awsServiceAndRegion(hostname: string): { service: string; region: string } {
  const labels = hostname.replace(awsSuffix, '').split('.');
  const service = labels[0] ?? '';
  const region = labels.find((label) => regionLabel.test(label));
  if (region) return { service, region };
  return { service, region: defaultRegion(hostname) };
}

/** Where a host without a region label signs: its partition's home region. */
function defaultRegion(hostname: string): string {
  if (hostname.includes('us-gov')) return 'us-gov-west-1';
  if (hostname.endsWith('.amazonaws.com.cn')) return hostname.includes('cn-northwest-1') ? 'cn-northwest-1' : 'cn-north-1';
  // Global services (iam, route53, cloudfront, organizations, shield, waf, …) and
  // everything else without a region sign for us-east-1.
  return 'us-east-1';
}

const awsSuffix = /\.(amazonaws\.com(\.cn)?|api\.aws)$/;
// us-west-2, eu-central-1, us-gov-west-1, cn-northwest-1, us-isob-east-1, ap-southeast-5 …
const regionLabel = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
