// Every generated page passes the Nu HTML Checker (vnu.jar, errors only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { VNU, buildSite, fixtureRoot, htmlFiles, vnu } from './helpers.mjs';

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
