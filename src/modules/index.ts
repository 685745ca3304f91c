import type { ServiceModule } from '../service-module.js';
import { createBaseModule } from './base/index.js';
import { customerProfiles } from './customer-profiles/index.js';
import { internetMonitor } from './internet-monitor/index.js';
import { personalize } from './personalize/index.js';

/**
 * The gateway's modules, in playground-tab order. A new service is one schema file, one folder with its
 * descriptor (`index.ts`), and one entry here.
 */
const services: readonly ServiceModule[] = [internetMonitor, customerProfiles, personalize];

export const modules: readonly ServiceModule[] = [...services, createBaseModule(services.flatMap((m) => m.nodeForms))];
