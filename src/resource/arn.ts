import { PARTITIONS } from '../aws/regions.js';

/**
 * The generic ARN shape (`arn:<partition>:<service>:<region>:<account>:<resource>`). Each service module parses its
 * own resource part; nothing here knows a service.
 */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

const ARN_PATTERN = new RegExp(`^arn:(${PARTITIONS.join('|')}):([a-z0-9-]+):([a-z0-9-]*):(\\d{12}|):(.+)$`);

export function parseArn(value: string): Arn | null {
  const m = ARN_PATTERN.exec(value);
  if (!m) return null;
  const [, partition = '', service = '', region = '', accountId = '', resource = ''] = m;
  return { partition, service, region, accountId, resource };
}
