import type { ServiceModule } from '../service-module.js';
import { base } from './base/index.js';
import { customerProfiles } from './customer-profiles/index.js';
import { internetMonitor } from './internet-monitor/index.js';
import { personalize } from './personalize/index.js';

/**
 * The gateway's modules, in playground-tab order. A new service is one schema file, one folder with its
 * descriptor (`index.ts`), and one entry here.
 */
export const modules: readonly ServiceModule[] = [internetMonitor, customerProfiles, personalize, base];
