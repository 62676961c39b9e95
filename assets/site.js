// wenji page behaviour: citations, comparing replies on a concept page, sorting and
// filtering the list of replies, and old-URL redirects on the 404 page. No inline scripts:
// everything is wired from data- attributes so the Content-Security-Policy can forbid them.
(function () {
  'use strict';
  var strings = {};
  try {
    strings = JSON.parse(document.getElementById('wenji-strings').textContent);
  } catch (e) { /* no strings: fall back to keys */ }
  function t(key) { return strings[key] || key; }

  // ---- Search: the script loads when the reader first reaches for the search box -------------
  // (or at once on the search page), so pages that are only read do not pay for it.
  (function () {
    var src = document.documentElement.getAttribute('data-search-script');
    if (!src) return;
    var loading = false;
    function load() {
      if (loading) return;
      loading = true;
      var s = document.createElement('script');
      s.src = src;
      s.onload = function () {
        // Typing may have begun before the script arrived: let it see the text.
        var el = document.activeElement;
        if (el && el.hasAttribute && el.hasAttribute('data-search-input') && el.value.trim()) {
          el.dispatchEvent(new Event('input', { bubbles: true }));
        }
      };
      document.head.appendChild(s);
    }
    if (document.querySelector('[data-search-page]')) { load(); return; }
    ['focusin', 'pointerdown', 'input'].forEach(function (type) {
      document.addEventListener(type, function (ev) {
        if (ev.target && ev.target.closest && ev.target.closest('[data-search-form]')) load();
      }, true);
    });
  })();

  // ---- Citations -------------------------------------------------------------------------
  function citation(article, lang, para) {
    var tpl = article.getAttribute('data-cite-' + lang) || '';
    var url = article.getAttribute('data-cite-url') || '';
    if (url.charAt(0) === '/') url = location.origin + url;
    var paraText = '';
    if (para) {
      paraText = (article.getAttribute('data-para-' + lang) || '').replace('{n}', para);
      url += '#p' + para;
    }
    return tpl.replace('{para}', paraText).replace('{url}', url);
  }

  function copy(text, status) {
    function done(ok) { if (status) status.textContent = ok ? t('cite_copied') : t('cite_copy_failed'); }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  }

  var article = document.querySelector('article[data-cite-zh]');
  var dialog = document.querySelector('[data-cite-dialog]');
  if (article && dialog) {
    var status = dialog.querySelector('[data-cite-status]');
    var opener = null;
    document.addEventListener('click', function (ev) {
      var btn = ev.target.closest && ev.target.closest('button.cite');
      if (!btn) return;
      var p = btn.getAttribute('data-p');
      ['zh', 'en'].forEach(function (lang) {
        dialog.querySelector('[data-cite-out="' + lang + '"]').textContent = citation(article, lang, p);
      });
      status.textContent = '';
      opener = btn;
      if (dialog.showModal) dialog.showModal(); else dialog.setAttribute('open', '');
      copy(citation(article, 'zh', p), status);
    });
    dialog.addEventListener('click', function (ev) {
      var b = ev.target.closest && ev.target.closest('[data-copy]');
      if (b) copy(dialog.querySelector('[data-cite-out="' + b.getAttribute('data-copy') + '"]').textContent, status);
    });
    dialog.addEventListener('close', function () { if (opener) opener.focus(); });
  }

  // ---- Clean copies: the clipboard gets the UN's words, not the site's additions ------------
  // Paragraph numbers, cite buttons, concept tags, heading anchors, back links and hidden
  // labels are left out; footnote references are written [N]; blocks are separated by a
  // blank line. "Copy with citation" (the cite dialog) stays a separate action.
  var SITE_ADDITIONS = 'a.pn, button, .tags, .visually-hidden, a.anchor, a.back, .passage > footer, ' +
    '.count, [aria-hidden="true"], script, style, summary, [data-copy-skip]';
  var BLOCKS = /^(P|LI|H[1-6]|BLOCKQUOTE|DIV|SECTION|ARTICLE|ASIDE|HEADER|FOOTER|NAV|OL|UL|DL|DT|DD|TABLE|TR|FIGURE|FIGCAPTION|DETAILS|MAIN|PRE)$/;

  // The marker a list item shows (1. or •), unless the item carries its own, as `(a)` does.
  function listNumber(li) {
    var list = li.parentElement;
    if (!list || list.classList.contains('marked')) return '';
    if (list.tagName === 'UL') return '• ';
    if (list.closest('.footnotes')) return '[' + (li.getAttribute('value') || '') + '] ';
    var n = list.hasAttribute('start') ? parseInt(list.getAttribute('start'), 10) || 1 : 1;
    for (var el = list.firstElementChild; el && el !== li; el = el.nextElementSibling) n++;
    return n + '. ';
  }

  // True when the range holds the element's first character of text (not a number or a tag).
  function startsInside(range, el) {
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.data.trim() && !n.parentElement.closest(SITE_ADDITIONS) ? 1 : 3;
      },
    });
    var first = walker.nextNode();
    if (!first) return false;
    var lead = first.data.length - first.data.replace(/^\s+/, '').length;
    return range.comparePoint(first, lead) === 0;
  }

  function rangeText(range) {
    var blocks = [], line = '';
    function flush() {
      var t = line.replace(/[ \t\r\n]+/g, ' ').trim();
      if (t) blocks.push(t);
      line = '';
    }
    function walk(node) {
      if (node.nodeType === 3) {
        var text = node.data;
        var end = node === range.endContainer ? range.endOffset : text.length;
        var start = node === range.startContainer ? range.startOffset : 0;
        line += text.slice(start, end);
        return;
      }
      if (node.nodeType !== 1) return;
      if (node.matches(SITE_ADDITIONS)) return;
      var display = getComputedStyle(node).display;
      if (display === 'none') return;
      var block = BLOCKS.test(node.tagName) || display === 'block';
      if (block) flush();
      if (node.matches('sup.fnref')) { line += '[' + node.textContent.trim() + ']'; return; }
      if (node.tagName === 'LI' && startsInside(range, node)) line += listNumber(node);
      if (node.tagName === 'TD' || node.tagName === 'TH') line += line ? '\t' : '';
      for (var c = node.firstChild; c; c = c.nextSibling) {
        if (range.intersectsNode(c)) walk(c);
      }
      if (block) flush();
    }
    var root = range.commonAncestorContainer;
    if (root.nodeType === 3) {
      // Inside one text node: only a skipped ancestor (a number, a tag) changes anything.
      if (root.parentElement && root.parentElement.closest(SITE_ADDITIONS)) return '';
      walk(root);
    } else {
      for (var c = root.firstChild; c; c = c.nextSibling) if (range.intersectsNode(c)) walk(c);
    }
    flush();
    return blocks.join('\n\n');
  }

  document.addEventListener('copy', function (ev) {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount || !ev.clipboardData) return;
    var anchor = sel.getRangeAt(0).commonAncestorContainer;
    var el = anchor.nodeType === 1 ? anchor : anchor.parentElement;
    // Text fields and the cite dialog copy what they show.
    if (!el || el.closest('input, textarea, dialog, [contenteditable]')) return;
    var parts = [];
    for (var i = 0; i < sel.rangeCount; i++) parts.push(rangeText(sel.getRangeAt(i)));
    var text = parts.filter(Boolean).join('\n\n');
    if (!text) return;
    ev.clipboardData.setData('text/plain', text);
    ev.preventDefault();
  });

  // ---- Print: the page's address in full, also on a site built without its base URL ---------
  Array.prototype.forEach.call(document.querySelectorAll('[data-print-url]'), function (el) {
    if (el.textContent.charAt(0) === '/') el.textContent = location.origin + el.textContent;
  });

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

  // ---- Concept page: narrow to chosen replies (?r=a,b) ------------------------------------
  var compare = document.querySelector('[data-compare]');
  if (compare) {
    var boxes = Array.prototype.slice.call(compare.querySelectorAll('[data-compare-option]'));
    var groups = Array.prototype.slice.call(document.querySelectorAll('section.group[data-reply]'));
    compare.hidden = false;
    var apply = function (push) {
      var chosen = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      groups.forEach(function (g) { g.hidden = chosen.length > 0 && chosen.indexOf(g.getAttribute('data-reply')) < 0; });
      // Two or three chosen replies stand side by side (on wide screens; the CSS stacks them on phones).
      var shown = groups.filter(function (g) { return !g.hidden; }).length;
      var side = chosen.length >= 2 && shown >= 2 && shown <= 3;
      var holder = document.querySelector('[data-groups]');
      if (holder) {
        holder.classList.toggle('side-by-side', side);
        holder.classList.toggle('cols-2', side && shown === 2);
        holder.classList.toggle('cols-3', side && shown === 3);
      }
      var page = compare.closest('.concept');
      if (page) page.classList.toggle('comparing', side);
      if (push) {
        var u = new URL(location.href);
        if (chosen.length) u.searchParams.set('r', chosen.join(',')); else u.searchParams.delete('r');
        history.replaceState(null, '', u.pathname + u.search + u.hash);
      }
    };
    var wanted = (new URL(location.href).searchParams.get('r') || '').split(',').filter(Boolean);
    boxes.forEach(function (b) {
      b.checked = wanted.indexOf(b.value) >= 0;
      b.addEventListener('change', function () { apply(true); });
    });
    compare.querySelector('[data-compare-reset]').addEventListener('click', function () {
      boxes.forEach(function (b) { b.checked = false; });
      apply(true);
    });
    apply(false);
  }

  // ---- Home: a map wider than a phone opens on its middle (Europe, Africa, the Gulf) -------------
  Array.prototype.forEach.call(document.querySelectorAll('.map-frame'), function (frame) {
    var spare = frame.scrollWidth - frame.clientWidth;
    if (spare > 0) frame.scrollLeft = spare / 2;
  });

  // ---- Matrix: the full name of the column (and the cell) under the pointer or the focus ---------
  var matrix = document.querySelector('table[data-matrix]');
  var focusLine = document.querySelector('[data-matrix-focus]');
  if (matrix && focusLine) {
    var heads = matrix.tHead.rows[0].cells;
    var say = function (ev) {
      var cell = ev.target.closest && ev.target.closest('td, thead th');
      if (!cell || cell.cellIndex < 1) return;
      var head = heads[cell.cellIndex].querySelector('a');
      var text = head ? head.getAttribute('data-full') : '';
      var row = cell.parentElement;
      if (cell.tagName === 'TD' && row.cells[0]) {
        text = row.cells[0].textContent.trim() + ' · ' + text + ' — ' + cell.textContent.replace('·', '').trim();
      }
      focusLine.textContent = text;
    };
    matrix.addEventListener('focusin', say);
    matrix.addEventListener('mouseover', say);
  }

  // ---- Sortable, filterable tables -----------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), function (table) {
    var tbody = table.tBodies[0];
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, col) {
      var kind = th.getAttribute('data-sort');
      if (!kind) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute('aria-sort', 'none');
      button.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (h) { if (h.hasAttribute('aria-sort')) h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(tbody.rows);
        var key = function (row) {
          var cell = row.cells[col];
          var v = cell.getAttribute('data-value') || cell.textContent.trim();
          return kind === 'number' ? parseFloat(v) || 0 : v;
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = kind === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-Hans-CN');
          return asc ? c : -c;
        });
        rows.forEach(function (r) { tbody.appendChild(r); });
      });
    });
  });
  var tools = document.querySelector('[data-table-tools]');
  if (tools) {
    tools.hidden = false;
    var text = tools.querySelector('[data-filter-text]');
    var region = tools.querySelector('[data-filter-region]');
    var filter = function () {
      var q = text.value.trim().toLowerCase();
      var g = region.value;
      Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable] tbody tr'), function (row) {
        var okText = !q || (row.getAttribute('data-name') || '').toLowerCase().indexOf(q) >= 0;
        var okRegion = !g || row.getAttribute('data-region') === g;
        row.hidden = !(okText && okRegion);
      });
    };
    text.addEventListener('input', filter);
    region.addEventListener('change', filter);
  }

  // ---- 404: known old paths redirect, with their #fragment --------------------------------------
  var redirects = document.getElementById('wenji-redirects');
  if (redirects) {
    try {
      var map = JSON.parse(redirects.textContent);
      var path = location.pathname;
      var target = map[path] || map[path + '/'];
      if (!target) {
        // An alias covers everything under it: /old/x/cite.bib → /new/x/cite.bib.
        var best = '';
        Object.keys(map).forEach(function (from) {
          if (path.indexOf(from) === 0 && from.length > best.length) best = from;
        });
        if (best) target = map[best] + path.slice(best.length);
      }
      if (target) location.replace(target + location.search + location.hash);
    } catch (e) { /* stay on the 404 page */ }
  }

  // ---- 404: the nearest pages by edit distance, and the search box with the path's words ------
  var pagesData = document.getElementById('wenji-pages');
  if (pagesData) suggestPages(JSON.parse(pagesData.textContent));

  function editDistance(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  function suggestPages(pages) {
    var words = location.pathname.split('/').filter(Boolean).map(function (w) {
      try { return decodeURIComponent(w); } catch (e) { return w; }
    });
    var word = (words.pop() || '').replace(/\.html?$/, '').toLowerCase();
    var query = document.querySelector('[data-not-found-query]');
    if (query && word) query.value = word.replace(/[-_]+/g, ' ');
    if (!word) return;
    var scored = pages.map(function (p) {
      // [url, slug, name, English name]: the nearest of the three, relative to its length.
      var names = [p[1], p[2], (p[3] || '').toLowerCase().replace(/[^a-z0-9]+/g, '-')];
      var best = Math.min.apply(null, names.map(function (n) {
        if (!n) return 1;
        n = n.toLowerCase();
        // A name that holds the whole word (`bosnia`, `法国`) is near whatever its length.
        if (word.length >= 2 && n.indexOf(word) >= 0) return 0.2 * (1 - word.length / n.length);
        return editDistance(word, n) / Math.max(n.length, word.length);
      }));
      return { page: p, score: best };
    }).filter(function (s) { return s.score <= 0.5; });
    scored.sort(function (a, b) { return a.score - b.score; });
    var list = document.querySelector('[data-suggest-list]');
    if (!list || !scored.length) return;
    scored.slice(0, 3).forEach(function (s) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = s.page[0];
      a.textContent = s.page[2];
      li.appendChild(a);
      if (s.page[3]) {
        var en = document.createElement('span');
        en.className = 'en';
        en.lang = 'en';
        en.textContent = ' ' + s.page[3];
        li.appendChild(en);
      }
      list.appendChild(li);
    });
    list.closest('[data-suggest]').hidden = false;
  }
})();
