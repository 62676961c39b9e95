// wenji page behaviour: citations, comparing replies on a concept page, sorting and
// filtering the list of replies, and old-URL redirects on the 404 page. No inline scripts:
// everything is wired from data- attributes so the Content-Security-Policy can forbid them.
(function () {
  'use strict';
  // In the page, or on a large site in assets/strings.<hash>.js, loaded before this script.
  var strings = window.wenjiStrings || {};
  try {
    strings = JSON.parse(document.getElementById('wenji-strings').textContent);
  } catch (e) { /* no strings in the page */ }
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
    // arriving from a search result: search.js marks the query in the target paragraph
    try { if (sessionStorage.getItem('wenji-search-landing')) load(); } catch (e) { /* no storage */ }
    ['focusin', 'pointerdown', 'input'].forEach(function (type) {
      document.addEventListener(type, function (ev) {
        if (ev.target && ev.target.closest && ev.target.closest('[data-search-form]')) load();
      }, true);
    });
  })();

  // ---- Citations -------------------------------------------------------------------------
  // Anchors the URL ledger sends elsewhere (their published words moved): a citation of the
  // paragraph now at such a number gets the reply's URL, since its #pN would lead away.
  var movedAnchors = {};
  try {
    var aliasScript = document.querySelector('script[data-aliases]');
    if (aliasScript) movedAnchors = JSON.parse(aliasScript.getAttribute('data-aliases'));
  } catch (e) { /* no fragment aliases */ }

  function citation(article, lang, para) {
    var tpl = article.getAttribute('data-cite-' + lang) || '';
    var url = article.getAttribute('data-cite-url') || '';
    if (url.charAt(0) === '/') url = location.origin + url;
    var paraText = '';
    if (para) {
      paraText = (article.getAttribute('data-para-' + lang) || '').replace('{n}', para);
      if (!Object.prototype.hasOwnProperty.call(movedAnchors, 'p' + para)) url += '#p' + para;
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

  var dialog = document.querySelector('[data-cite-dialog]');
  if (dialog) {
    var status = dialog.querySelector('[data-cite-status]');
    var opener = null;
    document.addEventListener('click', function (ev) {
      var btn = ev.target.closest && ev.target.closest('button.cite');
      // looked up now: on a large site reply.js, which runs after this, writes the texts
      var article = document.querySelector('article[data-cite-zh]');
      if (!btn || !article) return;
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

  // ---- Concept page: narrow to chosen replies (?r=a,b) ------------------------------------
  var compare = document.querySelector('[data-compare]');
  if (compare) {
    // A concept page over the quote limit (thousands of replies) leaves its options to be
    // made here, one per group, as a quoting page writes them.
    var optionsBox = compare.querySelector('.compare-options');
    if (optionsBox && !optionsBox.querySelector('[data-compare-option]')) {
      Array.prototype.forEach.call(document.querySelectorAll('.groups > [data-reply]'), function (g) {
        var label = document.createElement('label');
        var input = document.createElement('input');
        input.type = 'checkbox';
        input.value = g.getAttribute('data-reply');
        input.setAttribute('data-compare-option', '');
        label.appendChild(input);
        label.appendChild(document.createTextNode(' ' + g.querySelector('h3 a').textContent));
        optionsBox.appendChild(label);
      });
    }
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

  // ---- Report filter: a site of several editions shows one report's rows or groups ---------------
  var editionFilter = document.querySelector('[data-edition-filter]');
  if (editionFilter) {
    editionFilter.closest('[data-edition-filter-box]').hidden = false;
    editionFilter.addEventListener('change', function () {
      var v = editionFilter.value;
      // a concept page marks each group's heading; the matrix its rows
      document.querySelectorAll('[data-edition]').forEach(function (el) {
        (el.closest('.group') || el).hidden = v !== '' && el.getAttribute('data-edition') !== v;
      });
    });
  }

})();
