import { EndpointError, partition } from '@aws-sdk/util-endpoints';

/**
 * The Internet Monitor endpoint of the current endpoint rule set (SDK >= 3.412, botocore's
 * `internetmonitor/2021-06-03/endpoint-rule-set-1.json`), for the 3.332 client this project has to use.
 *
 * The 3.332 client's own rule set sends every request to the dual-stack host whenever the partition has one
 * (`internetmonitor.us-east-1.api.aws`), whether or not dual-stack was asked for. The current rule set, which every
 * newer SDK resolves, is the standard AWS one:
 *
 *   https://internetmonitor.{Region}.{dnsSuffix}                  the default (internetmonitor.us-east-1.amazonaws.com)
 *   https://internetmonitor-fips.{Region}.{dnsSuffix}             UseFIPS (AWS_USE_FIPS_ENDPOINT=true)
 *   https://internetmonitor.{Region}.{dualStackDnsSuffix}         UseDualStack (AWS_USE_DUALSTACK_ENDPOINT=true)
 *   https://internetmonitor-fips.{Region}.{dualStackDnsSuffix}    both
 *
 * with the partition's suffixes (amazonaws.com.cn in China, c2s.ic.gov in aws-iso, ...) from the SDK's partition
 * table, and a configured endpoint (AWS_ENDPOINT_URL) taken as it is. When the official client with these commands
 * can be installed, this file goes with commands.ts.
 */

/** The rule set's parameters, as the client's endpoint middleware passes them (see commands.ts). */
export interface InternetMonitorEndpointParameters {
  Region?: string;
  UseFIPS?: boolean;
  UseDualStack?: boolean;
  Endpoint?: string;
}

export function internetMonitorEndpoint(params: InternetMonitorEndpointParameters): { url: URL } {
  const fips = params.UseFIPS === true;
  const dualStack = params.UseDualStack === true;
  if (params.Endpoint !== undefined) {
    if (fips) throw new EndpointError('Invalid Configuration: FIPS and custom endpoint are not supported');
    if (dualStack) throw new EndpointError('Invalid Configuration: Dualstack and custom endpoint are not supported');
    return { url: new URL(params.Endpoint) };
  }
  if (!params.Region) throw new EndpointError('Invalid Configuration: Missing Region');
  const result = partition(params.Region);
  if (fips && dualStack && !(result.supportsFIPS && result.supportsDualStack))
    throw new EndpointError('FIPS and DualStack are enabled, but this partition does not support one or both');
  if (fips && !result.supportsFIPS) throw new EndpointError('FIPS is enabled but this partition does not support FIPS');
  if (dualStack && !result.supportsDualStack)
    throw new EndpointError('DualStack is enabled but this partition does not support DualStack');
  const host = fips ? 'internetmonitor-fips' : 'internetmonitor';
  const suffix = dualStack ? result.dualStackDnsSuffix : result.dnsSuffix;
  return { url: new URL(`https://${host}.${params.Region}.${suffix}`) };
}
