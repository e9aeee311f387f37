import { existsSync } from 'node:fs';
import { isOnPath, requireTool } from '../require-tool.js';

/** The haproxy executable; throws an InfraError saying how to install it when there is none. */
export function haproxyBinary(): string {
  if (isOnPath('haproxy')) return 'haproxy';
  // Debian installs it in /usr/sbin, which is not on the PATH of a non-root shell.
  if (existsSync('/usr/sbin/haproxy')) return '/usr/sbin/haproxy';
  requireTool('haproxy');
  return 'haproxy';
}
