// Redirect pages: carry the query string and the #fragment along (GitHub Pages cannot
// redirect on the server). Runs from <head>, before anything is drawn; the <noscript> refresh
// covers browsers without JS.
(function () {
  var target = document.documentElement.getAttribute('data-target');
  if (target) location.replace(target + location.search + location.hash);
})();
