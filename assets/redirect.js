// Redirect pages: carry the #fragment along (GitHub Pages cannot redirect on the server).
(function () {
  var target = document.body && document.body.getAttribute('data-target');
  if (target) location.replace(target + location.hash);
})();
