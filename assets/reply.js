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
  var cite = document.getElementById('wenji-strings');
  var citeWord = '引用';
  try { citeWord = JSON.parse(cite.textContent).cite || citeWord; } catch (e) { /* keep it */ }
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
