// wenji reply page: the folding metadata and contents, and the contents' mark of the section being read.
// Loaded by that page only; wired through data- attributes (the CSP forbids inline scripts).
(function () {
  'use strict';
  // ---- Reply page: folding boxes open on wide screens -----------------------------------------
  // The metadata and the contents are <details>, closed in the HTML so that a phone shows the
  // text first; on wide screens they sit in the side column, open.
  var wide = window.matchMedia ? window.matchMedia('(min-width: 68rem)') : null;
  var folding = document.querySelectorAll('details[data-wide-open]');
  function unfold() {
    Array.prototype.forEach.call(folding, function (d) { d.open = !!(wide && wide.matches); });
  }
  if (folding.length && wide) {
    unfold();
    if (wide.addEventListener) wide.addEventListener('change', unfold);
  }

  // ---- Reply page: cite buttons ---------------------------------------------------------------
  // A large site writes its passages without their cite buttons (site.cite_buttons_in_html),
  // which only work with scripts: each passage gets the button a small site writes, as its
  // last child ("引用", labelled "引用 本站第 n 段" from the passage's number).
  var strings = window.wenjiStrings || {};
  try { strings = JSON.parse(document.getElementById('wenji-strings').textContent); } catch (e) { /* a file's */ }
  var citeWord = strings.cite || '引用';
  Array.prototype.forEach.call(document.querySelectorAll('article .para[id^="p"]'), function (p) {
    var last = p.lastElementChild;
    if (last && last.matches('button.cite')) return;
    var pn = p.querySelector('a.pn');
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'cite';
    b.setAttribute('data-p', p.id.slice(1));
    b.setAttribute('aria-label', citeWord + ' ' + (pn ? pn.getAttribute('aria-label') : p.id.slice(1)));
    b.textContent = citeWord;
    p.appendChild(b);
  });

  // ---- Reply page: a large site's citation texts ----------------------------------------------
  // A large site's page does not carry them (site.cite_text_in_html): they are made here, as
  // the build makes them, from the citation formats and the report's fields in the strings and
  // the reply's name, English name and date on the page, for site.js's cite dialog.
  var article = document.querySelector('article.reply');
  if (article && !article.getAttribute('data-cite-zh') && strings.cite_format_zh) {
    var text = function (sel) { var e = document.querySelector(sel); return e ? e.textContent : ''; };
    var time = document.querySelector('.meta-card time[datetime]');
    var fields = {
      entity: text('.crumbs [aria-current="page"]'),
      entity_en: text('h1 .en'),
      received: time ? time.textContent : '',
      received_en: time ? time.getAttribute('datetime') : '',
    };
    var report = strings.cite_report || {};
    // the placeholders in the build's order (render::context::citations)
    var order = ['symbol', 'report', 'report_en', 'entity', 'entity_en', 'received', 'received_en', 'publisher', 'publisher_en', 'year'];
    var fill = function (format) {
      return order.reduce(function (s, k) {
        var v = k in fields ? fields[k] : report[k];
        return s.split('{' + k + '}').join(v === undefined ? '' : v);
      }, format);
    };
    var canonical = document.querySelector('link[rel="canonical"]');
    article.setAttribute('data-cite-zh', fill(strings.cite_format_zh));
    article.setAttribute('data-cite-en', fill(strings.cite_format_en || ''));
    article.setAttribute('data-cite-url', canonical ? canonical.getAttribute('href') : '');
    article.setAttribute('data-para-zh', strings.cite_para_zh || '');
    article.setAttribute('data-para-en', strings.cite_para_en || '');
  }

  // ---- Reply page: a large site's citation downloads -----------------------------------------
  // A large site keeps each reply's CSL-JSON, BibTeX and RIS in a gzipped part of 1,000
  // replies (cite/001.json.gz: {slug: [CSL-JSON, BibTeX, RIS]}) instead of three files a
  // reply; a download link fetches the part and saves the reply's file, the small site's bytes.
  var FORMATS = {
    json: ['application/vnd.citationstyles.csl+json', 0],
    bib: ['application/x-bibtex', 1],
    ris: ['application/x-research-info-systems', 2],
  };
  function gunzip(bytes) {
    // a host that sent it with Content-Encoding: gzip has had it decoded already
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[data-cite-download]');
    if (!a) return;
    ev.preventDefault();
    var format = a.getAttribute('data-cite-download');
    fetch(a.href, { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.arrayBuffer(); })
      .then(function (b) { return gunzip(new Uint8Array(b)); })
      .then(function (b) {
        var text = JSON.parse(new TextDecoder().decode(b))[a.getAttribute('data-slug')][FORMATS[format][1]];
        var url = URL.createObjectURL(new Blob([text], { type: FORMATS[format][0] + ';charset=utf-8' }));
        var save = document.createElement('a');
        save.href = url;
        save.download = 'cite.' + format;
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      })
      .catch(function () { window.location.href = a.href; });
  });

  // ---- Reply page: the table of contents marks the section being read ---------------------
  // Measured on every scroll (one frame at a time), so the mark follows any jump: a link, a
  // footnote, Home/End, a changed #fragment.
  var toc = document.querySelector('nav.toc');
  if (toc) {
    var links = {};
    Array.prototype.forEach.call(toc.querySelectorAll('a[href^="#"]'), function (a) {
      links[decodeURIComponent(a.getAttribute('href').slice(1))] = a;
    });
    var heads = Array.prototype.filter.call(document.querySelectorAll('.body [id]'), function (h) {
      return links[h.id] !== undefined;
    });
    var tocBox = document.querySelector('[data-toc-box]');
    var now = document.querySelector('[data-toc-now]');
    var current = null, queued = false;
    var mark = function () {
      queued = false;
      // The last heading above the upper third of the window.
      var line = window.innerHeight / 3, found = null;
      for (var i = 0; i < heads.length; i++) {
        if (heads[i].getBoundingClientRect().top <= line) found = heads[i]; else break;
      }
      var a = found ? links[found.id] : null;
      if (a === current) return;
      if (current) current.removeAttribute('aria-current');
      if (a) a.setAttribute('aria-current', 'location');
      if (now) now.textContent = a ? a.textContent : '';
      current = a;
    };
    var queue = function () {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(mark);
    };
    window.addEventListener('scroll', queue, { passive: true });
    window.addEventListener('resize', queue);
    window.addEventListener('hashchange', queue);
    window.addEventListener('load', queue);
    // On a phone the contents close once the reader has chosen a section.
    toc.addEventListener('click', function (ev) {
      if (tocBox && ev.target.closest('a') && !(wide && wide.matches)) tocBox.open = false;
    });
    mark();
  }
})();
