/**
 * Logs for people and machines: JSON lines (pino's format) when stdout is not a terminal, one readable
 * line per record when it is. The API (fastify's pino) and the workers share the format.
 */
import { inspect } from 'node:util';

/** pino's (object, message) form, as jobs and workers log; `console` fits too. */
export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_VALUES = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
export type LogLevel = keyof typeof LEVEL_VALUES;
const COLOURS: Record<number, string> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Bookkeeping fields a person does not need on every line. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'v']);

const formatValue = (value: unknown): string => {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Error) return JSON.stringify(value.message);
  return JSON.stringify(value) ?? String(value);
};

/** One pino record (parsed) as one line: `14:03:22 INFO  message key=value …`; an error's stack on the lines after. */
export function prettyLine(record: Record<string, unknown>, colour = false): string {
  const level = Number(record.level);
  const time = new Date(typeof record.time === 'number' ? record.time : Date.now()).toTimeString().slice(0, 8);
  const name = (LEVEL_NAMES[level] ?? String(record.level)).padEnd(5);
  const tag = colour ? `\x1b[${COLOURS[level] ?? '0'}m${name}\x1b[0m` : name;
  const extras: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    if (key === 'err' && value && typeof value === 'object') {
      const err = value as { message?: string; stack?: string };
      extras.push(`err=${formatValue(err.message ?? inspect(err))}`);
      if (level >= 50 && err.stack) stack = `\n${err.stack.split('\n').slice(1).join('\n')}`;
      continue;
    }
    extras.push(`${key}=${formatValue(value)}`);
  }
  const dim = (s: string) => (colour && s ? `\x1b[2m${s}\x1b[0m` : s);
  return `${time} ${tag} ${record.msg ?? ''}${extras.length ? ` ${dim(extras.join(' '))}` : ''}${stack}\n`;
}

/** A pino destination that rewrites each JSON line as a pretty one. */
export function prettyStream(out: NodeJS.WritableStream = process.stdout, colour = true) {
  return {
    write(line: string) {
      try {
        out.write(prettyLine(JSON.parse(line), colour));
      } catch {
        out.write(line);
      }
    },
  };
}

/** Pretty when stdout is a terminal, unless the configuration's LOG_FORMAT says json or pretty. */
export function wantsPretty(format: 'json' | 'pretty' | undefined, tty = Boolean(process.stdout.isTTY)): boolean {
  return format ? format === 'pretty' : tty;
}

/** fastify's `logger` option: its level, and the pretty stream when wanted. */
export function fastifyLogger(level: LogLevel, pretty: boolean) {
  return pretty ? { level, stream: prettyStream(process.stdout, Boolean(process.stdout.isTTY)) } : { level };
}

/** A JobLog writing what the API's logger writes (JSON lines or pretty ones): workers and scripts. */
export function processLog(
  level: LogLevel,
  pretty: boolean,
  out: NodeJS.WritableStream = process.stdout,
): JobLog & { debug(obj: object, msg: string): void } {
  const min = LEVEL_VALUES[level];
  const at = (name: Exclude<LogLevel, 'silent'>) => (obj: object, msg: string) => {
    const value = LEVEL_VALUES[name];
    if (value < min) return;
    const record = { level: value, time: Date.now(), pid: process.pid, ...obj, msg };
    out.write(pretty ? prettyLine(record, Boolean((out as { isTTY?: boolean }).isTTY)) : `${JSON.stringify(record)}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
