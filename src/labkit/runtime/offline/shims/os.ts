/** node:os for a Web Worker: a Linux machine with the browser's number of logical processors. */
import type { Host } from '../host.ts';

export function osModule(host: Host): Record<string, unknown> {
  const processors = Math.max(1, Number((globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency) || 1);
  const memory = (Number((globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory) || 4) * 2 ** 30;
  return {
    EOL: '\n',
    devNull: '/dev/null',
    constants: { signals: {}, errno: {} },
    platform: () => 'linux',
    type: () => 'Linux',
    release: () => 'offline',
    version: () => 'labkit offline runtime (Web Worker)',
    machine: () => 'x86_64',
    arch: () => 'x64',
    endianness: () => 'LE',
    tmpdir: () => '/tmp',
    homedir: () => host.process.env.HOME ?? '/home/student',
    hostname: () => 'localhost',
    userInfo: () => ({ uid: 1000, gid: 1000, username: 'student', homedir: '/home/student', shell: null }),
    cpus: () =>
      Array.from({ length: processors }, () => ({
        model: 'browser logical processor (offline runtime)',
        speed: 0,
        times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
      })),
    availableParallelism: () => processors,
    totalmem: () => memory,
    freemem: () => memory,
    loadavg: () => [0, 0, 0],
    uptime: () => Math.round(performance.now() / 1000),
    networkInterfaces: () => ({}),
  };
}
