// wenji 404 page: the nearest pages and a search box.
// Loaded by that page only; wired through data- attributes (the CSP forbids inline scripts).
(function () {
  'use strict';
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
