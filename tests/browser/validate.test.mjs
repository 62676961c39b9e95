// Every generated page passes the Nu HTML Checker (vnu.jar, errors only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import { REPO, buildSite, fixtureRoot, htmlFiles } from './helpers.mjs';

const VNU = join(REPO, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

function vnu(dir) {
  const r = spawnSync('java', ['-Xss8m', '-jar', VNU, '--errors-only', '--skip-non-html', '--format', 'gnu', dir], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, messages: (r.stderr + r.stdout).split('\n').filter(Boolean) };
}

for (const [name, root] of [['the site', undefined], ['the fixture site', 'fixture']]) {
  test(`Nu HTML Checker: no errors on ${name}`, { timeout: 600_000 }, () => {
    assert.ok(existsSync(VNU), `${VNU} is missing: run npm install`);
    const dir = buildSite(root === 'fixture' ? { root: fixtureRoot() } : {});
    const pages = htmlFiles(dir).length;
    assert.ok(pages > 5, `only ${pages} pages`);
    const { status, messages } = vnu(dir);
    const shown = messages.map((m) => m.replace(dir, '')).slice(0, 60).join('\n');
    assert.equal(messages.length, 0, `${messages.length} errors in ${pages} pages:\n${shown}`);
    assert.equal(status, 0);
    rmSync(dir, { recursive: true, force: true });
  });
}
