import { SETTING_NAMES, flagOf } from './config.js';

/**
 * The settings part of `--help` of the gateway's entry points (dist/gateway.js, dist/demo.js, which each add what
 * they run): how settings are given, and every setting's name. What each means is the README's Configuration table.
 */
export function settingsHelp(): string {
  return [
    'Every setting is an environment variable or the matching flag (flags win): --port 5000 equals PORT=5000.',
    'What each one means: README.md, "Configuration".',
    '',
    'Settings:',
    ...SETTING_NAMES.map((name) => `  ${name.padEnd(28)} ${flagOf(name)}`),
    '',
    'The AWS SDK reads its own settings from the environment too: AWS_PROFILE, AWS_USE_FIPS_ENDPOINT,',
    'AWS_USE_DUALSTACK_ENDPOINT, AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_EC2_METADATA_DISABLED, ...',
  ].join('\n');
}

export const HELP_FLAG_LINE = '  -h, --help                   this text';
