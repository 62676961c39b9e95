// wenji matrix: the full name of the column and cell under the pointer or focus.
// Loaded by that page only; wired through data- attributes (the CSP forbids inline scripts).
(function () {
  'use strict';
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
        text = row.cells[0].textContent.trim() + ' · ' + text + ' — ' + (cell.textContent.replace('·', '').trim() || '0');
      }
      focusLine.textContent = text;
    };
    matrix.addEventListener('focusin', say);
    matrix.addEventListener('mouseover', say);
  }
})();
