/**
 * Text shared by the procps-ng tools (free, slabtop, uptime, top, ps): the usage scaffolding
 * from include/c.h and the version banner.
 */
const PROCPS_VERSION = '3.3.9';

/** PROCPS_NG_VERSION: "%s from %s\n" with PACKAGE_STRING "procps-ng 3.3.9" (trusty's procps 1:3.3.9-1ubuntu2). */
export function procpsVersion(prog: string): string {
  return `${prog} from procps-ng ${PROCPS_VERSION}\n`;
}

/** display_version() of proc/version.c, which ps -V and top -v print: "procps-ng version 3.3.9". */
export function procpsLibVersion(): string {
  return `procps-ng version ${PROCPS_VERSION}\n`;
}

export const USAGE_HEADER = '\nUsage:\n';
export const USAGE_OPTIONS = '\nOptions:\n';
export const USAGE_SEPARATOR = '\n';
export const USAGE_HELP = ' -h, --help     display this help and exit\n';
export const USAGE_VERSION = ' -V, --version  output version information and exit\n';

export function usageManTail(page: string): string {
  return `\nFor more details see ${page}.\n`;
}
