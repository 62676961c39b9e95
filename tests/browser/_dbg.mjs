import { launch } from './helpers.mjs';
const b = await launch(); const ctx = await b.newContext({viewport:{width:375,height:800}}); const p = await ctx.newPage();
await p.goto('http://127.0.0.1:8123/matrix/');
console.log(await p.evaluate(() => [...document.querySelectorAll('body *')].filter(e=>e.getBoundingClientRect().right>376 && !e.closest('table')).map(e => `${e.tagName}.${e.className} w=${e.getBoundingClientRect().width} sw=${e.scrollWidth}`)));
await b.close();
