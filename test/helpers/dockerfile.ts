import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative } from 'node:path';

/*
 * A Dockerfile played without a Docker engine (none is reachable here, and no base image can be pulled): each stage
 * gets a folder of its own standing for its filesystem, COPY copies from the build context or from an earlier
 * stage's folder, RUN runs in the stage's WORKDIR with the stage's ENV, and a stage's ENTRYPOINT/CMD can then be
 * started as a process. What it cannot reproduce, and so does not check: the base image (its Node is this machine's
 * Node), USER and --chown (processes run as the test's user), EXPOSE, and network namespaces (services share the
 * loopback interface; see `composeServices` for how ports are remapped).
 */

export interface Instruction {
  keyword: string;
  /** The instruction's text after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

const KNOWN = new Set(['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'EXPOSE', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD']);

/** The stages of a Dockerfile, in order; an instruction this player does not know is an error, never skipped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start + 1}: cannot read "${line}"`);
    const keyword = m[1]!.toUpperCase();
    if (!KNOWN.has(keyword)) throw new Error(`Dockerfile line ${start + 1}: ${keyword} is not played by this test`);
    const args = m[2]!.trim();
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile line ${start + 1}: cannot read FROM ${args}`);
      stages.push({ image: from[1]!, name: from[2] ?? String(stages.length), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile line ${start + 1}: ${keyword} before any FROM`);
    stage.instructions.push({ keyword, args, line: start + 1 });
  }
  return stages;
}

/** `["node", "x.js"]` (exec form), or a shell command as `sh -c` runs it. */
function command(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args) as string[];
  return ['/bin/sh', '-c', args];
}

/** `A=1 B="two words"`, or the legacy `A value`. */
function envPairs(args: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  if (!/^\S+=/.test(args)) {
    const [key, ...value] = args.split(/\s+/);
    pairs[key!] = value.join(' ');
    return pairs;
  }
  for (const m of args.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    pairs[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
  }
  return pairs;
}

/** Whether `path` (relative to the context) is excluded by .dockerignore's patterns (plain names and paths). */
function ignored(path: string, patterns: readonly string[]): boolean {
  const normalized = posix
    .normalize(path)
    .replace(/^\.\/?/, '')
    .replace(/\/$/, '');
  return patterns.some((p) => normalized === p || normalized.startsWith(`${p}/`));
}

export interface PlayedStage {
  name: string;
  /** The folder standing for the stage's `/`. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  /** HEALTHCHECK's command, if any. */
  healthcheck?: string[];
}

export interface PlayOptions {
  /** The build context: a clean export of the repository. */
  context: string;
  /** Where stage folders are made (`<into>/<stage>`). */
  into: string;
  /** The last stage to play, as `docker build --target`. Default: all. */
  target?: string;
  /** Environment of every RUN besides the stage's ENV (PATH, the npm cache, ...). */
  runEnv: Record<string, string>;
  /** Bound of each RUN. */
  runTimeoutMs: number;
  /** Called before each instruction, for progress and timings. */
  onInstruction?: (stage: string, instruction: Instruction) => void;
  /**
   * Plays a RUN some other way when it returns true (the caller's stated shortcut), in the stage's WORKDIR `cwd`;
   * false runs it as written.
   */
  runInstead?: (stage: string, command: string, cwd: string) => boolean;
}

/** Plays the stages of `dockerfile` up to `target`; every stage is returned, with what is needed to run it. */
export function playDockerfile(dockerfile: string, options: PlayOptions): Map<string, PlayedStage> {
  const stages = parseDockerfile(dockerfile);
  const ignore = existsSync(join(options.context, '.dockerignore'))
    ? readFileSync(join(options.context, '.dockerignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim().replace(/\/$/, ''))
        .filter((l) => l && !l.startsWith('#'))
    : [];
  const played = new Map<string, PlayedStage>();
  for (const stage of stages) {
    const root = join(options.into, stage.name);
    mkdirSync(root, { recursive: true });
    const state: PlayedStage = { name: stage.name, root, workdir: '/', env: {}, entrypoint: [], cmd: [] };
    const inStage = (path: string) => join(root, posix.resolve(state.workdir, path));
    for (const instruction of stage.instructions) {
      options.onInstruction?.(stage.name, instruction);
      const where = `Dockerfile line ${instruction.line} (${stage.name}: ${instruction.keyword} ${instruction.args})`;
      switch (instruction.keyword) {
        case 'WORKDIR':
          state.workdir = posix.resolve(state.workdir, instruction.args);
          mkdirSync(inStage('.'), { recursive: true });
          break;
        case 'ENV':
          Object.assign(state.env, envPairs(instruction.args));
          break;
        case 'COPY':
          copy(instruction.args, { state, played, context: options.context, ignore, inStage, where });
          break;
        case 'RUN':
          if (options.runInstead?.(stage.name, instruction.args, inStage('.'))) break;
          try {
            execFileSync('/bin/sh', ['-c', instruction.args], {
              cwd: inStage('.'),
              env: { ...options.runEnv, ...state.env },
              stdio: ['ignore', 'pipe', 'pipe'],
              timeout: options.runTimeoutMs,
              maxBuffer: 64 * 1024 * 1024,
            });
          } catch (error) {
            const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
            const lines = `${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`.trim().split('\n');
            // The first line that names an error (a stack's message comes before its frames), then the end.
            const first = lines.find((l) => /error|ERR!/i.test(l));
            throw new Error(`${where} failed:\n${first ? `${first}\n...\n` : ''}${lines.slice(-12).join('\n')}`);
          }
          break;
        case 'ENTRYPOINT':
          state.entrypoint = command(instruction.args);
          break;
        case 'CMD':
          state.cmd = command(instruction.args);
          break;
        case 'HEALTHCHECK': {
          const m = /\bCMD\s+(.*)$/.exec(instruction.args);
          state.healthcheck = m ? command(m[1]!) : undefined;
          break;
        }
        // USER, EXPOSE: see the header comment.
      }
    }
    played.set(stage.name, state);
    if (stage.name === options.target) break;
  }
  return played;
}

function copy(
  args: string,
  at: {
    state: PlayedStage;
    played: ReadonlyMap<string, PlayedStage>;
    context: string;
    ignore: readonly string[];
    inStage: (path: string) => string;
    where: string;
  },
): void {
  const words = args.split(/\s+/);
  let from: PlayedStage | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    const m = /^--from=(.+)$/.exec(flag);
    if (m) {
      from = at.played.get(m[1]!);
      if (!from) throw new Error(`${at.where}: no earlier stage "${m[1]}"`);
    } else if (!flag.startsWith('--chown=')) throw new Error(`${at.where}: flag ${flag} is not played by this test`);
  }
  const dest = words.pop();
  if (!dest || words.length === 0) throw new Error(`${at.where}: needs a source and a destination`);
  if (words.length > 1 && !dest.endsWith('/')) throw new Error(`${at.where}: several sources need a directory`);
  for (const source of words) {
    if (/[*?[]/.test(source)) throw new Error(`${at.where}: wildcards are not played by this test`);
    let path: string;
    if (from) {
      path = join(from.root, posix.resolve(from.workdir, source));
    } else {
      if (isAbsolute(source) || relative('.', posix.normalize(source)).startsWith('..'))
        throw new Error(`${at.where}: source ${source} is outside the build context`);
      if (ignored(source, at.ignore)) throw new Error(`${at.where}: source ${source} is excluded by .dockerignore`);
      path = join(at.context, source);
    }
    if (!existsSync(path))
      throw new Error(`${at.where}: source ${source} is not in ${from ? `stage ${from.name}` : 'the build context'}`);
    const target = at.inStage(dest);
    if (statSync(path).isDirectory()) {
      // A directory's contents go into the destination directory.
      mkdirSync(target, { recursive: true });
      cpSync(path, target, { recursive: true });
    } else {
      const file = dest.endsWith('/') ? join(target, posix.basename(source)) : target;
      mkdirSync(dirname(file), { recursive: true });
      cpSync(path, file);
    }
  }
}

/** Starts a played stage's ENTRYPOINT and CMD in its WORKDIR, with the image's ENV under `env`. */
export function startStage(stage: PlayedStage, env: Record<string, string>): ChildProcess {
  const [program, ...args] = [...stage.entrypoint, ...stage.cmd];
  if (!program) throw new Error(`stage ${stage.name} has no ENTRYPOINT or CMD`);
  return spawn(program, args, {
    cwd: join(stage.root, stage.workdir),
    env: { ...stage.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
