// Starts Poort for the checks: built from this repository, with its mock
// registries, an SQLite store and a local token issuer in a temporary
// directory, on ports the system picks.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

// The population the hub's mocks serve; the checks pick their subjects
// from its scenarios, as the Go tests do.
const seed = '1';
const size = '1000';

export async function startHub() {
  const dir = await mkdtemp(join(tmpdir(), 'poort-federation-'));
  const bin = join(dir, 'poort');
  await run('go', ['build', '-o', bin, './cmd/poort'], { cwd: root });
  const env = {
    ...process.env,
    POORT_LISTEN: '127.0.0.1:0',
    POORT_ADMIN_LISTEN: 'off',
    POORT_DATABASE_URL: `sqlite:${join(dir, 'poort.db')}`,
    POORT_AUTH_LOCAL_KEY_FILE: join(dir, 'signing-key.json'),
    POORT_POPULATION_SEED: seed,
    POORT_POPULATION_SIZE: size,
    POORT_LOG_LEVEL: 'warn',
  };
  const populationFile = join(dir, 'population.json');
  await run(bin, ['mocks', 'export', '--seed', seed, '--size', size, '--out', populationFile], { cwd: dir, env });
  const population = JSON.parse(await readFile(populationFile, 'utf8'));

  const proc = spawn(bin, [], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (b) => { log += b; });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the hub did not start in 60 s:\n${log}`)), 60_000);
    proc.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    exited.then((code) => reject(new Error(`the hub exited with ${code}:\n${log}`)));
  });
  // The local issuer signs with the key the hub created at start-up.
  const { stdout } = await run(bin, ['token', '--role', 'kcc-medewerker', '--purpose', 'kcc-algemeen', '--ttl', '10m'], { cwd: dir, env });

  return {
    graphqlURL: `${url}/graphql`,
    token: stdout.trim(),
    population,
    async stop() {
      proc.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
